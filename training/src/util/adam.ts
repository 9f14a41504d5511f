/**
 * Adam (Kingma & Ba 2015) over named Float64Array parameters, with optional decoupled weight decay per parameter
 * (AdamW, Loshchilov & Hutter 2019) and global gradient-norm clipping. Deterministic: plain loops, fixed order.
 */
export type Tensors = Record<string, Float64Array>;

export interface AdamOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Decoupled weight decay per parameter name (default none). */
  readonly weightDecay?: Readonly<Record<string, number>>;
  /** Clip the global gradient L2 norm to this value (default no clipping). */
  readonly clipNorm?: number;
}

export class Adam {
  private readonly m: Tensors = {};
  private readonly v: Tensors = {};
  private t = 0;

  constructor(
    private readonly params: Tensors,
    private readonly options: AdamOptions,
  ) {
    for (const [name, value] of Object.entries(params)) {
      this.m[name] = new Float64Array(value.length);
      this.v[name] = new Float64Array(value.length);
    }
  }

  /** Applies one update from `grads` (same names and lengths as the parameters; missing names are frozen). */
  step(grads: Tensors, learningRate = this.options.learningRate): void {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, clipNorm } = this.options;
    this.t++;
    let scale = 1;
    if (clipNorm !== undefined) {
      let sum = 0;
      for (const grad of Object.values(grads)) for (const g of grad) sum += g * g;
      const norm = Math.sqrt(sum);
      if (norm > clipNorm) scale = clipNorm / norm;
    }
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (const [name, param] of Object.entries(this.params)) {
      const grad = grads[name];
      if (!grad) continue;
      const m = this.m[name]!;
      const v = this.v[name]!;
      const decay = (this.options.weightDecay?.[name] ?? 0) * learningRate;
      for (let i = 0; i < param.length; i++) {
        const g = grad[i]! * scale;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        param[i] = param[i]! - learningRate * (m[i]! / c1 / (Math.sqrt(v[i]! / c2) + epsilon)) - decay * param[i]!;
      }
    }
  }
}
