/**
 * Dense row-major matrix products on Float64Array, written for V8: contiguous inner loops, no allocation inside.
 * Every product accumulates into `out` (`out += …`) so gradients from several paths add up without temporaries.
 * Shapes are passed explicitly; a [rows, cols] matrix stores element (r, c) at r * cols + c.
 */

/** out[m,n] += a[m,k] · b[k,n] */
export function addMatMul(out: Float64Array, a: Float64Array, b: Float64Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const outRow = i * n;
    const aRow = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[aRow + p]!;
      if (av === 0) continue;
      const bRow = p * n;
      for (let j = 0; j < n; j++) out[outRow + j]! += av * b[bRow + j]!;
    }
  }
}

/** out[m,n] += a[m,k] · b[n,k]ᵀ */
export function addMatMulTransB(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const aRow = i * k;
    const outRow = i * n;
    for (let j = 0; j < n; j++) {
      const bRow = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let p = 0;
      for (; p < k4; p += 4) {
        s0 += a[aRow + p]! * b[bRow + p]!;
        s1 += a[aRow + p + 1]! * b[bRow + p + 1]!;
        s2 += a[aRow + p + 2]! * b[bRow + p + 2]!;
        s3 += a[aRow + p + 3]! * b[bRow + p + 3]!;
      }
      for (; p < k; p++) s0 += a[aRow + p]! * b[bRow + p]!;
      out[outRow + j]! += s0 + s1 + s2 + s3;
    }
  }
}

/** out[m,n] += a[k,m]ᵀ · b[k,n] */
export function addMatMulTransA(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
): void {
  for (let p = 0; p < k; p++) {
    const aRow = p * m;
    const bRow = p * n;
    for (let i = 0; i < m; i++) {
      const av = a[aRow + i]!;
      if (av === 0) continue;
      const outRow = i * n;
      for (let j = 0; j < n; j++) out[outRow + j]! += av * b[bRow + j]!;
    }
  }
}

/** Normalises every row of a [rows, cols] matrix to unit L2 norm in place (zero rows stay zero). */
export function normaliseRows(matrix: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += matrix[r * cols + c]! ** 2;
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let c = 0; c < cols; c++) matrix[r * cols + c]! *= scale;
  }
}

/** Row-wise softmax in place over [rows, cols]; entries equal to -Infinity get probability 0. */
export function softmaxRows(matrix: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, matrix[start + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const value = Math.exp(matrix[start + c]! - max);
      matrix[start + c] = value;
      sum += value;
    }
    for (let c = 0; c < cols; c++) matrix[start + c]! /= sum;
  }
}
