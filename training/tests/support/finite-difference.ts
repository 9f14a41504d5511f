/**
 * Central finite differences, to check hand-derived gradients: ∂f/∂θ_i ≈ (f(θ + εe_i) − f(θ − εe_i)) / 2ε.
 * Runs in float64, where ε = 1e-6 gives about 8–9 correct digits for smooth functions.
 */
export async function numericGradient(
  parameter: Float64Array,
  index: number,
  loss: () => number | Promise<number>,
  epsilon = 1e-6,
): Promise<number> {
  const original = parameter[index]!;
  parameter[index] = original + epsilon;
  const plus = await loss();
  parameter[index] = original - epsilon;
  const minus = await loss();
  parameter[index] = original;
  return (plus - minus) / (2 * epsilon);
}

/** Largest |analytic − numeric| / max(1e-6, |analytic| + |numeric|) over every entry of `parameter`. */
export async function worstRelativeError(
  parameter: Float64Array,
  analytic: Float64Array,
  loss: () => number | Promise<number>,
  indices: Iterable<number> = parameter.keys(),
): Promise<number> {
  let worst = 0;
  for (const index of indices) {
    const numeric = await numericGradient(parameter, index, loss);
    const exact = analytic[index]!;
    const error = Math.abs(exact - numeric) / Math.max(1e-6, Math.abs(exact) + Math.abs(numeric));
    worst = Math.max(worst, error);
  }
  return worst;
}
