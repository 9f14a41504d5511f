/**
 * The evaluation's figures, per group of requests (category, request language, all):
 * - answered: requests that expect books and got at least one;
 * - P@3: precision of the cited books, over min(3, relevant books in the catalogue), mean over requests;
 * - constraints: cited books that meet the request's constraints, over all cited books;
 * - grounded: requests whose every turn cited only catalogue books (the text, the cards and `citedIds` agreeing);
 * - redirect: requests whose redirect (or not) was the expected one;
 * - text safe: requests whose answer matched none of its `textMustNotMatch` patterns;
 * - Recall@10 (over min(10, relevant)) and MRR of the replayed retrieval query, lexical-only, vector-only and hybrid.
 */
import { retrievalModes, passed, type RequestResult, type RetrievalMode } from './run-eval';

export interface GroupFigures {
  readonly group: string;
  readonly requests: number;
  readonly passed: number;
  /** Each figure is null when the group has no request it applies to. */
  readonly answered: number | null;
  readonly precision: number | null;
  readonly constraints: number | null;
  readonly grounded: number;
  readonly redirect: number;
  readonly textSafe: number | null;
  readonly recall: Readonly<Record<RetrievalMode, number | null>>;
  readonly mrr: Readonly<Record<RetrievalMode, number | null>>;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
const share = (results: readonly RequestResult[], test: (result: RequestResult) => boolean) =>
  mean(results.map((result) => (test(result) ? 1 : 0)));

export function figuresOf(group: string, results: readonly RequestResult[]): GroupFigures {
  const wantBooks = results.filter((result) => !result.request.expect.redirect);
  const cited = results.reduce((sum, result) => sum + result.cited.length, 0);
  const within = results.reduce((sum, result) => sum + result.withinConstraints, 0);
  const withText = results.filter((result) => result.request.expect.textMustNotMatch);
  const retrieval = wantBooks.flatMap((result) => (result.retrieval ? [result.retrieval] : []));
  const byMode = (pick: (scores: { recall: number; reciprocalRank: number }) => number) =>
    Object.fromEntries(
      retrievalModes.map((mode) => [mode, mean(retrieval.map((scores) => pick(scores[mode])))]),
    ) as Record<RetrievalMode, number | null>;
  return {
    group,
    requests: results.length,
    passed: results.filter(passed).length,
    answered: share(wantBooks, (result) => result.cited.length > 0),
    precision: mean(wantBooks.map((result) => result.precision ?? 0)),
    constraints: cited === 0 ? null : within / cited,
    grounded: share(results, (result) => result.groundingProblems.length === 0) ?? 1,
    redirect: share(results, (result) => result.redirected === result.request.expect.redirect) ?? 1,
    textSafe: share(withText, (result) => result.textProblems.length === 0),
    recall: byMode((scores) => scores.recall),
    mrr: byMode((scores) => scores.reciprocalRank),
  };
}

/** Figures per value of `key`, in the order given, then all requests. */
export function figuresBy(
  results: readonly RequestResult[],
  key: (result: RequestResult) => string,
  order: readonly string[],
): GroupFigures[] {
  const groups = order
    .map((name) =>
      figuresOf(
        name,
        results.filter((result) => key(result) === name),
      ),
    )
    .filter((figures) => figures.requests > 0);
  return [...groups, figuresOf('all', results)];
}

const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const dec = (value: number | null) => (value === null ? '—' : value.toFixed(3));

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function answersTable(figures: readonly GroupFigures[]): string {
  return table(
    ['group', 'requests', 'passed', 'answered', 'P@3', 'constraints', 'grounded', 'redirect', 'text safe'],
    figures.map((f) => [
      f.group,
      String(f.requests),
      String(f.passed),
      pct(f.answered),
      dec(f.precision),
      pct(f.constraints),
      pct(f.grounded),
      pct(f.redirect),
      pct(f.textSafe),
    ]),
  );
}

export function retrievalTable(figures: readonly GroupFigures[]): string {
  return table(
    ['group', 'R@10 lexical', 'R@10 vector', 'R@10 hybrid', 'MRR lexical', 'MRR vector', 'MRR hybrid'],
    figures.map((f) => [
      f.group,
      dec(f.recall.lexical),
      dec(f.recall.vector),
      dec(f.recall.hybrid),
      dec(f.mrr.lexical),
      dec(f.mrr.vector),
      dec(f.mrr.hybrid),
    ]),
  );
}

/** One line per request that did not pass, with what went wrong. */
export function failures(results: readonly RequestResult[]): string[] {
  return results
    .filter((result) => !passed(result))
    .map((result) => {
      const { request } = result;
      const why: string[] = [];
      if (result.redirected !== request.expect.redirect) {
        why.push(result.redirected ? 'redirected' : 'not redirected');
      }
      if (!request.expect.redirect && !result.redirected) {
        if (result.cited.length === 0) why.push('no book');
        else if (result.withinConstraints < result.cited.length) {
          why.push(`${result.cited.length - result.withinConstraints}/${result.cited.length} outside constraints`);
        }
        if (result.cited.length > 0 && result.precision === 0) why.push('no relevant book');
      }
      why.push(...result.groundingProblems, ...result.textProblems.map((pattern) => `text matched /${pattern}/`));
      const turns = request.turns.map((turn) => JSON.stringify(turn)).join(' → ');
      return `${request.id}: ${turns} — ${why.join('; ')} — cited [${result.cited.join(', ')}]`;
    });
}
