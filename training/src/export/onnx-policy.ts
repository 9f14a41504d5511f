/**
 * Writes the policy's inference graph as ONNX (opset 17) with `onnx-proto`: history in, top-K books and scores out.
 * It computes exactly `encode` + `policyLogits` of `../policy/model.ts`, in float32, with the item tables folded into
 * constants:
 *
 *   x = Gather(item_inputs, items) · Gather(rating_gain, ratings) + Gather(event_emb, events) + Gather(rating_emb, ratings)
 *   s = alpha[position] + gamma[event] + rho[rating]     (per head)        → masked softmax over positions
 *   z = Σ_j a_j x_j (per head, concatenated) → u = W2 tanh(W1 z + b1) + b2
 *   logits = u · item_outputsᵀ + item_biases; books in the history get −1e30; TopK.
 */
import onnxProto from 'onnx-proto';
import { itemTables, type PolicyModel } from '../policy/model';
import type { TensorSpec } from './manifest';

const { onnx } = onnxProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;

export const onnxOpset = 17;

/** Added to the logits of books already in the history (finite, so it survives float32 and ScatterElements' add). */
export const historyPenalty = -1e30;

export function policyInputs(historyLength: number): TensorSpec[] {
  return [
    {
      name: 'history_items',
      type: 'int64',
      shape: ['batch', historyLength],
      description: 'item indices, most recent first',
    },
    { name: 'history_events', type: 'int64', shape: ['batch', historyLength], description: 'event-type indices' },
    {
      name: 'history_ratings',
      type: 'int64',
      shape: ['batch', historyLength],
      description: '0 = no rating, else stars',
    },
    {
      name: 'history_mask',
      type: 'float32',
      shape: ['batch', historyLength],
      description: '1 = real event, 0 = padding',
    },
  ];
}

export function policyOutputs(topK: number, dimension: number): TensorSpec[] {
  return [
    {
      name: 'top_items',
      type: 'int64',
      shape: ['batch', topK],
      description: 'item indices, best first (history excluded)',
    },
    { name: 'top_scores', type: 'float32', shape: ['batch', topK], description: 'logits of top_items' },
    {
      name: 'user_state',
      type: 'float32',
      shape: ['batch', dimension],
      description: 'reader state u: a book outside the model scores u · (W_out e) + w_bias · e from its base vector e',
    },
  ];
}

/** The serialized ONNX model of `model`, returning the `topK` best books per history. */
export async function policyToOnnx(model: PolicyModel, topK: number): Promise<Uint8Array> {
  const { itemCount: n, dimension: d, historyLength: h, hiddenDimension: dh, heads: m } = model.config;
  const { eventTypeCount: t, ratingLevels: r } = model.config;
  const p = model.params;
  const tables = await itemTables(model);
  const k = Math.min(topK, n);

  const initializers: ITensorProto[] = [
    floatTensor('item_inputs', [n, d], tables.inputs),
    floatTensor('item_outputs', [n, d], tables.outputs),
    floatTensor('item_biases', [n], tables.biases),
    floatTensor('event_embedding', [t, d], p.eventEmbedding),
    floatTensor('rating_embedding', [r, d], p.ratingEmbedding),
    floatTensor('rating_gain', [r], p.ratingGain),
    floatTensor('alpha_t', [h, m], transpose(p.alpha, m, h)),
    floatTensor('gamma_t', [t, m], transpose(p.gammaEvent, m, t)),
    floatTensor('rho_t', [r, m], transpose(p.rhoRating, m, r)),
    floatTensor('w1', [dh, m * d], p.w1),
    floatTensor('b1', [dh], p.b1),
    floatTensor('w2', [d, dh], p.w2),
    floatTensor('b2', [d], p.b2),
    int64Tensor('axis_last', [1], [-1]),
    int64Tensor('pooled_shape', [2], [0, m * d]),
    int64Tensor('k', [1], [k]),
    floatTensor('one', [], [1]),
    floatTensor('mask_fill', [], [1e9]),
    floatTensor('history_penalty', [], [historyPenalty]),
  ];
  const nodes: INodeProto[] = [
    // Event vectors h [B, H, d].
    node('Gather', ['item_inputs', 'history_items'], ['x_items']),
    node('Gather', ['rating_gain', 'history_ratings'], ['gain']),
    node('Unsqueeze', ['gain', 'axis_last'], ['gain_3d']),
    node('Mul', ['x_items', 'gain_3d'], ['x_scaled']),
    node('Gather', ['event_embedding', 'history_events'], ['x_event']),
    node('Gather', ['rating_embedding', 'history_ratings'], ['x_rating']),
    node('Add', ['x_scaled', 'x_event'], ['x_partial']),
    node('Add', ['x_partial', 'x_rating'], ['events']),
    // Attention weights [B, H, M], masked softmax over H.
    node('Gather', ['gamma_t', 'history_events'], ['s_event']),
    node('Gather', ['rho_t', 'history_ratings'], ['s_rating']),
    node('Add', ['s_event', 's_rating'], ['s_partial']),
    node('Add', ['s_partial', 'alpha_t'], ['scores']),
    node('Unsqueeze', ['history_mask', 'axis_last'], ['mask_3d']),
    node('Sub', ['mask_3d', 'one'], ['mask_off']),
    node('Mul', ['mask_off', 'mask_fill'], ['mask_bias']),
    node('Add', ['scores', 'mask_bias'], ['scores_masked']),
    node('Softmax', ['scores_masked'], ['weights_raw'], [intAttribute('axis', 1)]),
    node('Mul', ['weights_raw', 'mask_3d'], ['weights']),
    // Pooled z [B, M·d] = weightsᵀ · events per row.
    node('Transpose', ['weights'], ['weights_t'], [intsAttribute('perm', [0, 2, 1])]),
    node('MatMul', ['weights_t', 'events'], ['pooled_3d']),
    node('Reshape', ['pooled_3d', 'pooled_shape'], ['pooled']),
    // MLP.
    node('Gemm', ['pooled', 'w1', 'b1'], ['hidden_pre'], [intAttribute('transB', 1)]),
    node('Tanh', ['hidden_pre'], ['hidden']),
    node('Gemm', ['hidden', 'w2', 'b2'], ['state'], [intAttribute('transB', 1)]),
    node('Identity', ['state'], ['user_state']),
    // Logits over the catalogue, history excluded, top K.
    node('Gemm', ['state', 'item_outputs', 'item_biases'], ['logits'], [intAttribute('transB', 1)]),
    node('Mul', ['history_mask', 'history_penalty'], ['penalties']),
    node(
      'ScatterElements',
      ['logits', 'history_items', 'penalties'],
      ['logits_masked'],
      [intAttribute('axis', 1), stringAttribute('reduction', 'add')],
    ),
    node('TopK', ['logits_masked', 'k'], ['top_scores', 'top_items'], [intAttribute('axis', 1)]),
  ];
  const graph = onnx.GraphProto.create({
    name: 'shelfwise_policy',
    node: nodes,
    initializer: initializers,
    input: policyInputs(h).map(valueInfo),
    output: policyOutputs(k, d).map(valueInfo),
  });
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: '@shelfwise/training',
    opsetImport: [{ domain: '', version: onnxOpset }],
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

function node(opType: string, input: string[], output: string[], attribute: onnxProto.onnx.IAttributeProto[] = []) {
  return onnx.NodeProto.create({ opType, input, output, attribute, name: output[0] });
}

function intAttribute(name: string, value: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}

function intsAttribute(name: string, values: number[]) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: values });
}

function stringAttribute(name: string, value: string) {
  return onnx.AttributeProto.create({
    name,
    type: onnx.AttributeProto.AttributeType.STRING,
    s: new TextEncoder().encode(value),
  });
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): ITensorProto {
  const data = Float32Array.from(values as ArrayLike<number>);
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function int64Tensor(name: string, dims: number[], values: number[]): ITensorProto {
  const data = BigInt64Array.from(values, (value) => BigInt(value));
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function valueInfo(spec: TensorSpec) {
  return onnx.ValueInfoProto.create({
    name: spec.name,
    type: {
      tensorType: {
        elemType: spec.type === 'int64' ? onnx.TensorProto.DataType.INT64 : onnx.TensorProto.DataType.FLOAT,
        shape: { dim: spec.shape.map((size) => (size === 'batch' ? { dimParam: 'batch' } : { dimValue: size })) },
      },
    },
  });
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j]!;
  return out;
}
