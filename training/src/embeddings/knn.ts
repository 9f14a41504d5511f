/**
 * How well genres cluster: leave-one-out k-nearest-neighbour accuracy by cosine similarity. Each labelled vector's
 * label is predicted by a similarity-weighted vote of its k nearest other vectors; the score is the share predicted
 * right. Rows without a label (-1) are neither queried nor used as neighbours.
 */
export function knnAccuracy(vectors: Float64Array, dimension: number, labels: Int32Array, k = 10): number {
  const rows = labels.length;
  const unit = new Float64Array(vectors.length);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < dimension; c++) sum += vectors[r * dimension + c]! ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let c = 0; c < dimension; c++) unit[r * dimension + c] = vectors[r * dimension + c]! * scale;
  }
  const labelled = [...labels.keys()].filter((r) => labels[r]! >= 0);
  if (labelled.length < 2) return 0;
  let correct = 0;
  const similarities = new Float64Array(rows);
  for (const query of labelled) {
    for (const other of labelled) {
      let sum = 0;
      for (let c = 0; c < dimension; c++) sum += unit[query * dimension + c]! * unit[other * dimension + c]!;
      similarities[other] = sum;
    }
    const neighbours = nearest(labelled, query, similarities, k);
    const votes = new Map<number, number>();
    for (const neighbour of neighbours) {
      const label = labels[neighbour]!;
      votes.set(label, (votes.get(label) ?? 0) + Math.max(similarities[neighbour]!, 0) + 1e-9);
    }
    let best = -1;
    let bestVotes = -Infinity;
    for (const [label, count] of votes) {
      if (count > bestVotes || (count === bestVotes && label < best)) {
        best = label;
        bestVotes = count;
      }
    }
    if (best === labels[query]) correct++;
  }
  return correct / labelled.length;
}

/** The k rows with the highest similarity to the query (ties: lower row first), best first. */
function nearest(rows: readonly number[], query: number, similarities: Float64Array, k: number): number[] {
  const best: number[] = [];
  const better = (a: number, b: number) =>
    similarities[a]! > similarities[b]! || (similarities[a] === similarities[b] && a < b);
  for (const row of rows) {
    if (row === query) continue;
    if (best.length === k && !better(row, best[k - 1]!)) continue;
    let i = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push(row);
    while (i > 0 && better(row, best[i - 1]!)) {
      best[i] = best[i - 1]!;
      i--;
    }
    best[i] = row;
  }
  return best;
}
