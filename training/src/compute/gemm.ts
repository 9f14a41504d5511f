/**
 * The matrix products training needs, behind one interface so that the same hand-derived forward and backward passes
 * run on two backends: plain TypeScript (float64, exact enough for finite-difference tests; about 0.25 GMAC/s here)
 * and onnxruntime's Gemm kernel (`onnxruntime-gemm.ts`, float64, about 8 GMAC/s on one thread here). Every product
 * accumulates into `out` (`out += …`); matrices are row-major Float64Arrays with explicit shapes.
 */
import { addMatMul, addMatMulTransA, addMatMulTransB } from '../util/linalg';

export interface Gemm {
  /** out[m,n] += a[m,k] · b[k,n] */
  addMatMul(out: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number): Promise<void>;
  /** out[m,n] += a[k,m]ᵀ · b[k,n] */
  addMatMulTransA(out: Float64Array, a: Float64Array, b: Float64Array, k: number, m: number, n: number): Promise<void>;
  /** out[m,n] += a[m,k] · b[n,k]ᵀ */
  addMatMulTransB(out: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number): Promise<void>;
}

/** The TypeScript backend: the reference, used by the gradient tests. */
export const typescriptGemm: Gemm = {
  addMatMul: (out, a, b, m, k, n) => Promise.resolve(addMatMul(out, a, b, m, k, n)),
  addMatMulTransA: (out, a, b, k, m, n) => Promise.resolve(addMatMulTransA(out, a, b, k, m, n)),
  addMatMulTransB: (out, a, b, m, k, n) => Promise.resolve(addMatMulTransB(out, a, b, m, k, n)),
};
