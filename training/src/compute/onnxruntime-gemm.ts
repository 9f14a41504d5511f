/**
 * A `Gemm` backend on onnxruntime-node: one single-node ONNX graph, Y = op(A)·op(B) + C (the standard Gemm operator,
 * float64), per transpose combination, run on one intra-op thread (faster than two on this 2-core machine, and
 * deterministic). Small products stay in TypeScript, where a session call would cost more than the arithmetic.
 * onnxruntime is used here only as a BLAS; the model's ONNX format is the export module's business.
 */
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { typescriptGemm, type Gemm } from './gemm';

const { onnx } = onnxProto;

/** Products below this many multiply-adds run in TypeScript. */
const minimumMultiplyAdds = 32_768;

export interface OnnxRuntimeGemm extends Gemm {
  release(): Promise<void>;
}

export async function createOnnxRuntimeGemm(options: { threads?: number } = {}): Promise<OnnxRuntimeGemm> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  const [plain, transA, transB] = await Promise.all([
    ort.InferenceSession.create(gemmGraph(false, false), sessionOptions),
    ort.InferenceSession.create(gemmGraph(true, false), sessionOptions),
    ort.InferenceSession.create(gemmGraph(false, true), sessionOptions),
  ]);
  const run = async (
    session: ort.InferenceSession,
    out: Float64Array,
    a: Float64Array,
    aShape: [number, number],
    b: Float64Array,
    bShape: [number, number],
    outShape: [number, number],
  ) => {
    const result = await session.run({
      A: new ort.Tensor('float64', a, aShape),
      B: new ort.Tensor('float64', b, bShape),
      C: new ort.Tensor('float64', out, outShape),
    });
    out.set(result.Y!.data as Float64Array);
  };
  return {
    async addMatMul(out, a, b, m, k, n) {
      if (m * k * n < minimumMultiplyAdds) return typescriptGemm.addMatMul(out, a, b, m, k, n);
      await run(plain, out, a, [m, k], b, [k, n], [m, n]);
    },
    async addMatMulTransA(out, a, b, k, m, n) {
      if (m * k * n < minimumMultiplyAdds) return typescriptGemm.addMatMulTransA(out, a, b, k, m, n);
      await run(transA, out, a, [k, m], b, [k, n], [m, n]);
    },
    async addMatMulTransB(out, a, b, m, k, n) {
      if (m * k * n < minimumMultiplyAdds) return typescriptGemm.addMatMulTransB(out, a, b, m, k, n);
      await run(transB, out, a, [m, k], b, [n, k], [m, n]);
    },
    async release() {
      await Promise.all([plain.release(), transA.release(), transB.release()]);
    },
  };
}

function gemmGraph(transposeA: boolean, transposeB: boolean): Uint8Array {
  const matrix = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.DOUBLE,
          shape: { dim: [{ dimParam: `${name}_rows` }, { dimParam: `${name}_cols` }] },
        },
      },
    });
  const flag = (name: string, value: boolean) =>
    onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value ? 1 : 0 });
  const node = onnx.NodeProto.create({
    opType: 'Gemm',
    input: ['A', 'B', 'C'],
    output: ['Y'],
    attribute: [flag('transA', transposeA), flag('transB', transposeB)],
  });
  const graph = onnx.GraphProto.create({
    name: 'gemm',
    node: [node],
    input: [matrix('A'), matrix('B'), matrix('C')],
    output: [matrix('Y')],
  });
  const model = onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph });
  return onnx.ModelProto.encode(model).finish();
}
