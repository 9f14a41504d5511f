import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typescriptGemm } from '../src/compute/gemm';
import { createOnnxRuntimeGemm, type OnnxRuntimeGemm } from '../src/compute/onnxruntime-gemm';
import { createRandom } from '../src/util/random';

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      out[i * n + j] = sum;
    }
  }
  return out;
}

describe('Gemm backends', () => {
  let onnxGemm: OnnxRuntimeGemm;
  beforeAll(async () => {
    onnxGemm = await createOnnxRuntimeGemm();
  });
  afterAll(async () => {
    await onnxGemm.release();
  });

  it.each([
    ['small (TypeScript path)', 3, 4, 5],
    ['large (onnxruntime path)', 70, 64, 90],
  ])('accumulate op(a)·op(b) into out for every transpose, %s', async (_, m, k, n) => {
    // Prepare: inputs are views into larger buffers, as the model passes them.
    const random = createRandom(m + k + n);
    const buffer = Float64Array.from({ length: 2 * m * k + 2 * k * n + 16 }, () => random.normal());
    const a = buffer.subarray(3, 3 + m * k);
    const b = buffer.subarray(8 + m * k, 8 + m * k + k * n);
    const start = Float64Array.from({ length: m * n }, () => random.normal());

    for (const gemm of [typescriptGemm, onnxGemm]) {
      // Act
      const plain = Float64Array.from(start);
      await gemm.addMatMul(plain, a, b, m, k, n);
      const transA = Float64Array.from(start);
      await gemm.addMatMulTransA(transA, a, b, k, m, n);
      const transB = Float64Array.from(start);
      await gemm.addMatMulTransB(transB, a, b, m, k, n);

      // Assess
      const expectClose = (actual: Float64Array, product: Float64Array) =>
        actual.forEach((value, i) => expect(value).toBeCloseTo(start[i]! + product[i]!, 9));
      expectClose(plain, naive(a, b, m, k, n, false, false));
      expectClose(transA, naive(a, b, m, k, n, true, false));
      expectClose(transB, naive(a, b, m, k, n, false, true));
    }
  });
});
