/**
 * The recommendation policy: a user-state encoder over the reader's recent history and a softmax over the catalogue.
 *
 * Items. Every book has a fixed base vector e_i (the triplet-pretrained projection of its text, unit length), so books
 * nobody has read yet still get vectors. The output vector of book i is v_i = W_out e_i + r_i and its bias
 * b_i = w_b·e_i + c_i; its input vector (when it is in a history) is x_i = W_in e_i + q_i. The per-item residuals r, q
 * and c start at zero and are held near it by weight decay, so an unseen book scores by its text alone.
 *
 * History. Arrays of length H, most recent first (position 0 is the latest event); `mask` marks the real events.
 * Event j contributes h_j = g[rating_j] · x[item_j] + T[event_j] + R[rating_j] (a learned gain per rating level, so a
 * low rating can count against a book's neighbours, plus event-type and rating embeddings). Each of M heads pools the
 * events with attention weights a_mj ∝ mask_j · exp(α_mj + γ_m[event_j] + ρ_m[rating_j]): α are learned position
 * (recency) weights, γ and ρ learned event-type and rating weights. The pooled z = [z_1 … z_M] goes through
 * u = W2 tanh(W1 z + b1) + b2, the user state.
 *
 * Policy. π(i | history) = softmax_i(u·v_i + b_i) over the books not in the history (those get −∞).
 * Behaviour head. β(i | history) = softmax_i(sg(u)·v'_i + b'_i) with its own item table, trained to imitate the
 * logged actions; sg stops the gradient, so β never shapes the state (Chen et al. 2019, §4.3).
 *
 * Gradients are derived by hand in `backward` and checked against finite differences in the tests.
 */
import type { Random } from '../util/random';
import { typescriptGemm, type Gemm } from '../compute/gemm';
import { addMatMul, softmaxRows } from '../util/linalg';

export interface PolicyConfig {
  readonly itemCount: number;
  readonly dimension: number;
  readonly historyLength: number;
  readonly hiddenDimension: number;
  readonly heads: number;
  readonly eventTypeCount: number;
  /** Rating levels: 0 (no rating) to ratingLevels − 1 stars. */
  readonly ratingLevels: number;
}

/** Names of the learned tensors (row-major). */
export interface PolicyParams {
  wOut: Float64Array; // [d, d]
  rOut: Float64Array; // [N, d]
  wBias: Float64Array; // [d]
  cBias: Float64Array; // [N]
  wIn: Float64Array; // [d, d]
  rIn: Float64Array; // [N, d]
  alpha: Float64Array; // [M, H]
  gammaEvent: Float64Array; // [M, T]
  rhoRating: Float64Array; // [M, R]
  eventEmbedding: Float64Array; // [T, d]
  ratingEmbedding: Float64Array; // [R, d]
  ratingGain: Float64Array; // [R]
  w1: Float64Array; // [Dh, M·d]
  b1: Float64Array; // [Dh]
  w2: Float64Array; // [d, Dh]
  b2: Float64Array; // [d]
  betaItems: Float64Array; // [N, d]
  betaBias: Float64Array; // [N]
}

export type ParamName = keyof PolicyParams;

/** Parameters of the behaviour head β (trained by imitation only). */
export const behaviourParamNames: readonly ParamName[] = ['betaItems', 'betaBias'];
/** Per-item parameters (remapped by item id on a warm start). */
export const itemParamNames: readonly ParamName[] = ['rOut', 'cBias', 'rIn', 'betaItems', 'betaBias'];

export interface PolicyModel {
  readonly config: PolicyConfig;
  /** The catalogue order: item index i is `itemIds[i]`. */
  readonly itemIds: readonly string[];
  /** Base vectors e_i, row-major [N, d]; not trained by the policy. */
  readonly itemBase: Float64Array;
  readonly params: PolicyParams;
}

/** A batch of histories, arrays [B, H], most recent first. */
export interface HistoryBatch {
  readonly size: number;
  readonly items: Int32Array;
  readonly events: Int32Array;
  readonly ratings: Int32Array;
  readonly mask: Uint8Array;
}

export function paramShapes(config: PolicyConfig): Record<ParamName, readonly number[]> {
  const { itemCount: n, dimension: d, historyLength: h, hiddenDimension: dh, heads: m } = config;
  const { eventTypeCount: t, ratingLevels: r } = config;
  return {
    wOut: [d, d],
    rOut: [n, d],
    wBias: [d],
    cBias: [n],
    wIn: [d, d],
    rIn: [n, d],
    alpha: [m, h],
    gammaEvent: [m, t],
    rhoRating: [m, r],
    eventEmbedding: [t, d],
    ratingEmbedding: [r, d],
    ratingGain: [r],
    w1: [dh, m * d],
    b1: [dh],
    w2: [d, dh],
    b2: [d],
    betaItems: [n, d],
    betaBias: [n],
  };
}

export function emptyBatch(size: number, historyLength: number): HistoryBatch {
  const length = size * historyLength;
  return {
    size,
    items: new Int32Array(length),
    events: new Int32Array(length),
    ratings: new Int32Array(length),
    mask: new Uint8Array(length),
  };
}

/** Fresh parameters: identity item maps, zero residuals, a uniform and a recency-decayed head, Xavier MLP. */
export function initialParams(config: PolicyConfig, itemBase: Float64Array, random: Random): PolicyParams {
  const shapes = paramShapes(config);
  const zeros = (name: ParamName) => new Float64Array(shapes[name].reduce((a, b) => a * b, 1));
  const params = Object.fromEntries(
    Object.keys(shapes).map((name) => [name, zeros(name as ParamName)]),
  ) as unknown as PolicyParams;
  const { dimension: d, historyLength: h, hiddenDimension: dh, heads: m } = config;
  for (let i = 0; i < d; i++) {
    params.wOut[i * d + i] = 1;
    params.wIn[i * d + i] = 1;
  }
  for (let head = 1; head < m; head++) {
    for (let j = 0; j < h; j++) params.alpha[head * h + j] = -j / head;
  }
  params.ratingGain.fill(1);
  for (let i = 0; i < params.eventEmbedding.length; i++) params.eventEmbedding[i] = random.normal() * 0.01;
  for (let i = 0; i < params.ratingEmbedding.length; i++) params.ratingEmbedding[i] = random.normal() * 0.01;
  const s1 = Math.sqrt(2 / (dh + m * d));
  for (let i = 0; i < params.w1.length; i++) params.w1[i] = random.normal() * s1;
  const s2 = Math.sqrt(2 / (d + dh));
  for (let i = 0; i < params.w2.length; i++) params.w2[i] = random.normal() * s2;
  params.betaItems.set(itemBase);
  return params;
}

/** Item tables derived from the parameters: input vectors x, output vectors v, biases b. */
export interface ItemTables {
  readonly inputs: Float64Array; // [N, d]
  readonly outputs: Float64Array; // [N, d]
  readonly biases: Float64Array; // [N]
}

export async function itemTables(model: PolicyModel, gemm: Gemm = typescriptGemm): Promise<ItemTables> {
  const { itemCount: n, dimension: d } = model.config;
  const { params, itemBase } = model;
  const inputs = Float64Array.from(params.rIn);
  await gemm.addMatMulTransB(inputs, itemBase, params.wIn, n, d, d);
  const outputs = Float64Array.from(params.rOut);
  await gemm.addMatMulTransB(outputs, itemBase, params.wOut, n, d, d);
  const biases = Float64Array.from(params.cBias);
  addMatMul(biases, itemBase, params.wBias, n, d, 1);
  return { inputs, outputs, biases };
}

/** What the forward pass keeps for the backward pass. */
export interface ForwardCache {
  readonly batch: HistoryBatch;
  readonly tables: ItemTables;
  readonly events: Float64Array; // h, [B, H, d]
  readonly attention: Float64Array; // [B, M, H]
  readonly pooled: Float64Array; // z, [B, M·d]
  readonly hidden: Float64Array; // tanh(W1 z + b1), [B, Dh]
  readonly state: Float64Array; // u, [B, d]
  /** π, [B, N] (masked books 0). */
  readonly policy: Float64Array;
  /** β, [B, N] (masked books 0); only when asked for. */
  readonly behaviour?: Float64Array;
}

/** The user state u of each history in the batch. */
export async function encode(
  model: PolicyModel,
  batch: HistoryBatch,
  tables: ItemTables,
  gemm: Gemm = typescriptGemm,
): Promise<Omit<ForwardCache, 'policy' | 'behaviour'>> {
  const { dimension: d, historyLength: h, hiddenDimension: dh, heads: m } = model.config;
  const { eventTypeCount: t, ratingLevels: r } = model.config;
  const p = model.params;
  const b = batch.size;
  const events = new Float64Array(b * h * d);
  const attention = new Float64Array(b * m * h);
  const pooled = new Float64Array(b * m * d);
  for (let n = 0; n < b; n++) {
    for (let j = 0; j < h; j++) {
      const slot = n * h + j;
      if (!batch.mask[slot]) continue;
      const item = batch.items[slot]!;
      const event = batch.events[slot]!;
      const rating = batch.ratings[slot]!;
      const gain = p.ratingGain[rating]!;
      const target = slot * d;
      for (let c = 0; c < d; c++) {
        events[target + c] =
          gain * tables.inputs[item * d + c]! + p.eventEmbedding[event * d + c]! + p.ratingEmbedding[rating * d + c]!;
      }
    }
    for (let head = 0; head < m; head++) {
      const row = (n * m + head) * h;
      let max = -Infinity;
      for (let j = 0; j < h; j++) {
        if (!batch.mask[n * h + j]) continue;
        const score =
          p.alpha[head * h + j]! +
          p.gammaEvent[head * t + batch.events[n * h + j]!]! +
          p.rhoRating[head * r + batch.ratings[n * h + j]!]!;
        attention[row + j] = score;
        max = Math.max(max, score);
      }
      let sum = 0;
      for (let j = 0; j < h; j++) {
        if (!batch.mask[n * h + j]) continue;
        const value = Math.exp(attention[row + j]! - max);
        attention[row + j] = value;
        sum += value;
      }
      const out = (n * m + head) * d;
      for (let j = 0; j < h; j++) {
        if (!batch.mask[n * h + j]) continue;
        const weight = attention[row + j]! / sum;
        attention[row + j] = weight;
        const source = (n * h + j) * d;
        for (let c = 0; c < d; c++) pooled[out + c]! += weight * events[source + c]!;
      }
    }
  }
  const hidden = new Float64Array(b * dh);
  for (let n = 0; n < b; n++) hidden.set(p.b1, n * dh);
  await gemm.addMatMulTransB(hidden, pooled, p.w1, b, m * d, dh);
  for (let i = 0; i < hidden.length; i++) hidden[i] = Math.tanh(hidden[i]!);
  const state = new Float64Array(b * d);
  for (let n = 0; n < b; n++) state.set(p.b2, n * d);
  await gemm.addMatMulTransB(state, hidden, p.w2, b, dh, d);
  return { batch, tables, events, attention, pooled, hidden, state };
}

/** Logits u·v_i + b_i of every book, with the books in each history set to −∞. */
export async function policyLogits(
  model: PolicyModel,
  state: Float64Array,
  batch: HistoryBatch,
  tables: ItemTables,
  gemm: Gemm = typescriptGemm,
): Promise<Float64Array> {
  const { itemCount: n, dimension: d } = model.config;
  const logits = new Float64Array(batch.size * n);
  for (let row = 0; row < batch.size; row++) logits.set(tables.biases, row * n);
  await gemm.addMatMulTransB(logits, state, tables.outputs, batch.size, d, n);
  maskHistory(logits, batch, n, model.config.historyLength);
  return logits;
}

async function behaviourLogits(
  model: PolicyModel,
  state: Float64Array,
  batch: HistoryBatch,
  gemm: Gemm,
): Promise<Float64Array> {
  const { itemCount: n, dimension: d } = model.config;
  const logits = new Float64Array(batch.size * n);
  for (let row = 0; row < batch.size; row++) logits.set(model.params.betaBias, row * n);
  await gemm.addMatMulTransB(logits, state, model.params.betaItems, batch.size, d, n);
  maskHistory(logits, batch, n, model.config.historyLength);
  return logits;
}

function maskHistory(logits: Float64Array, batch: HistoryBatch, n: number, h: number): void {
  for (let row = 0; row < batch.size; row++) {
    for (let j = 0; j < h; j++) {
      if (batch.mask[row * h + j]) logits[row * n + batch.items[row * h + j]!] = -Infinity;
    }
  }
}

/** The full forward pass: π (and β when `withBehaviour`). */
export async function forward(
  model: PolicyModel,
  batch: HistoryBatch,
  withBehaviour = false,
  gemm: Gemm = typescriptGemm,
): Promise<ForwardCache> {
  const encoded = await encode(model, batch, await itemTables(model, gemm), gemm);
  const n = model.config.itemCount;
  const policy = await policyLogits(model, encoded.state, batch, encoded.tables, gemm);
  softmaxRows(policy, batch.size, n);
  if (!withBehaviour) return { ...encoded, policy };
  const behaviour = await behaviourLogits(model, encoded.state, batch, gemm);
  softmaxRows(behaviour, batch.size, n);
  return { ...encoded, policy, behaviour };
}

export type PolicyGradients = Record<ParamName, Float64Array>;

export function zeroGradients(config: PolicyConfig): PolicyGradients {
  const shapes = paramShapes(config);
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape]) => [name, new Float64Array(shape.reduce((a, b) => a * b, 1))]),
  ) as PolicyGradients;
}

/**
 * Gradients of the two losses of a batch, given the logged actions and one coefficient per example:
 *   policy loss     Lπ = −(1/B) Σ_{c_n ≥ 0} c_n log π(a_n | s_n) − (1/B) Σ_{c_n < 0} |c_n| log(1 − π(a_n | s_n))
 *   behaviour loss  Lβ = −(1/B) Σ_n log β(a_n | s_n)                    (β's parameters only)
 * The coefficients c carry REINFORCE's reward and the off-policy factors; they are constants here. A positive
 * coefficient is REINFORCE's c ∇log π. A negative one (bad feedback) would drive log π to −∞ without end, so it uses
 * the unlikelihood form −|c| log(1 − π) (Welleck et al., ICLR 2020), whose push fades once π(a) is small.
 *   ∂Lπ/∂logit_i = c (π_i − [i = a]) / B                       for c ≥ 0
 *   ∂Lπ/∂logit_i = |c| π_a / (1 − π_a) ([i = a] − π_i) / B     for c < 0
 * then back through the softmax's inputs by the chain rule: the item tables, the MLP (tanh′ = 1 − tanh²), the
 * attention pooling (softmax Jacobian over the history) and the event sums.
 */
export async function backward(
  model: PolicyModel,
  cache: ForwardCache,
  actions: Int32Array,
  coefficients: Float64Array,
  gemm: Gemm = typescriptGemm,
): Promise<{ policyLoss: number; behaviourLoss: number; gradients: PolicyGradients }> {
  const { itemCount: n, dimension: d, historyLength: h, hiddenDimension: dh, heads: m } = model.config;
  const { eventTypeCount: t, ratingLevels: r } = model.config;
  const { batch, tables } = cache;
  const p = model.params;
  const b = batch.size;
  const g = zeroGradients(model.config);
  const inverseBatch = 1 / b;

  // Softmax layer of π.
  let policyLoss = 0;
  const dLogits = new Float64Array(b * n);
  const policy = cache.policy;
  for (let row = 0; row < b; row++) {
    const action = actions[row]!;
    const coefficient = coefficients[row]! * inverseBatch;
    if (coefficient === 0) continue;
    const pa = policy[row * n + action]!;
    // Scale of (π − e_a): c for REINFORCE, −|c| π_a / (1 − π_a) for unlikelihood.
    let scale = coefficient;
    if (coefficient > 0) {
      policyLoss -= coefficient * Math.log(pa);
    } else {
      const rest = Math.max(1 - pa, 1e-12);
      policyLoss += coefficient * Math.log(rest);
      scale = (coefficient * pa) / rest;
    }
    const start = row * n;
    for (let i = 0; i < n; i++) dLogits[start + i] = scale * policy[start + i]!;
    dLogits[start + action]! -= scale;
  }
  const dState = new Float64Array(b * d);
  await gemm.addMatMul(dState, dLogits, tables.outputs, b, n, d);
  const dOutputs = new Float64Array(n * d);
  await gemm.addMatMulTransA(dOutputs, dLogits, cache.state, b, n, d);
  const dBiases = new Float64Array(n);
  for (let row = 0; row < b; row++) for (let i = 0; i < n; i++) dBiases[i]! += dLogits[row * n + i]!;
  // v = E W_outᵀ + r_out; b = E w_b + c.
  g.rOut.set(dOutputs);
  await gemm.addMatMulTransA(g.wOut, dOutputs, model.itemBase, n, d, d);
  g.cBias.set(dBiases);
  await gemm.addMatMulTransA(g.wBias, model.itemBase, dBiases, n, d, 1);

  // u = W2 hidden + b2.
  await gemm.addMatMulTransA(g.w2, dState, cache.hidden, b, d, dh);
  for (let row = 0; row < b; row++) for (let c = 0; c < d; c++) g.b2[c]! += dState[row * d + c]!;
  const dHidden = new Float64Array(b * dh);
  await gemm.addMatMul(dHidden, dState, p.w2, b, d, dh);
  // hidden = tanh(W1 z + b1).
  for (let i = 0; i < dHidden.length; i++) dHidden[i]! *= 1 - cache.hidden[i]! ** 2;
  await gemm.addMatMulTransA(g.w1, dHidden, cache.pooled, b, dh, m * d);
  for (let row = 0; row < b; row++) for (let c = 0; c < dh; c++) g.b1[c]! += dHidden[row * dh + c]!;
  const dPooled = new Float64Array(b * m * d);
  await gemm.addMatMul(dPooled, dHidden, p.w1, b, dh, m * d);

  // Attention pooling and event vectors.
  const dEvents = new Float64Array(d);
  const dInputs = new Float64Array(n * d);
  const dWeights = new Float64Array(h);
  for (let row = 0; row < b; row++) {
    for (let head = 0; head < m; head++) {
      const attentionRow = (row * m + head) * h;
      const dz = (row * m + head) * d;
      let weighted = 0;
      for (let j = 0; j < h; j++) {
        dWeights[j] = 0;
        if (!batch.mask[row * h + j]) continue;
        const source = (row * h + j) * d;
        let sum = 0;
        for (let c = 0; c < d; c++) sum += dPooled[dz + c]! * cache.events[source + c]!;
        dWeights[j] = sum;
        weighted += cache.attention[attentionRow + j]! * sum;
      }
      for (let j = 0; j < h; j++) {
        if (!batch.mask[row * h + j]) continue;
        const dScore = cache.attention[attentionRow + j]! * (dWeights[j]! - weighted);
        g.alpha[head * h + j]! += dScore;
        g.gammaEvent[head * t + batch.events[row * h + j]!]! += dScore;
        g.rhoRating[head * r + batch.ratings[row * h + j]!]! += dScore;
      }
    }
    for (let j = 0; j < h; j++) {
      const slot = row * h + j;
      if (!batch.mask[slot]) continue;
      dEvents.fill(0);
      for (let head = 0; head < m; head++) {
        const weight = cache.attention[(row * m + head) * h + j]!;
        const dz = (row * m + head) * d;
        for (let c = 0; c < d; c++) dEvents[c]! += weight * dPooled[dz + c]!;
      }
      const item = batch.items[slot]!;
      const event = batch.events[slot]!;
      const rating = batch.ratings[slot]!;
      const gain = p.ratingGain[rating]!;
      let dGain = 0;
      for (let c = 0; c < d; c++) {
        const de = dEvents[c]!;
        dGain += de * tables.inputs[item * d + c]!;
        dInputs[item * d + c]! += gain * de;
        g.eventEmbedding[event * d + c]! += de;
        g.ratingEmbedding[rating * d + c]! += de;
      }
      g.ratingGain[rating]! += dGain;
    }
  }
  // x = E W_inᵀ + r_in.
  g.rIn.set(dInputs);
  await gemm.addMatMulTransA(g.wIn, dInputs, model.itemBase, n, d, d);

  // Behaviour head β: imitation of the logged actions, state held fixed.
  let behaviourLoss = 0;
  if (cache.behaviour) {
    const dBeta = new Float64Array(b * n);
    for (let row = 0; row < b; row++) {
      const action = actions[row]!;
      behaviourLoss -= Math.log(cache.behaviour[row * n + action]!) * inverseBatch;
      for (let i = 0; i < n; i++) dBeta[row * n + i] = cache.behaviour[row * n + i]! * inverseBatch;
      dBeta[row * n + action]! -= inverseBatch;
    }
    await gemm.addMatMulTransA(g.betaItems, dBeta, cache.state, b, n, d);
    for (let row = 0; row < b; row++) for (let i = 0; i < n; i++) g.betaBias[i]! += dBeta[row * n + i]!;
  }
  return { policyLoss, behaviourLoss, gradients: g };
}
