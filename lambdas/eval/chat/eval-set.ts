/**
 * The chatbot's evaluation set: labelled reader requests (`requests.json`) over the demo catalogue that `npm start`
 * loads (local/demo/catalogue/*.json) plus the evaluation's own books (`extra-books.json`: a book whose description
 * tries to give instructions). Each request says what a correct answer must satisfy:
 *
 * - `redirect`: the chatbot must answer with its polite redirect (off-topic, prompt injection) and cite nothing;
 * - `relevant`: which books answer the request (catalogue keys, any of `subjects`, all of `allSubjects`);
 * - `constraints`: what every cited book must satisfy (languages, audiences, page bounds, authors, not a book cited
 *   in the previous turn, shorter than the longest book of the previous turn);
 * - `textMustNotMatch`: patterns the answer's text must not contain (injected ids, links, the system prompt).
 *
 * A book is relevant when it meets `relevant` (if given) and `constraints`. Only the last turn of a request is graded;
 * the earlier turns set up the conversation.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readDemoCatalogue, type DemoBook } from '@shelfwise/local/demo/demo-catalogue';

export const evalDir = path.dirname(fileURLToPath(import.meta.url));

export const categories = [
  'subject',
  'mood',
  'audience',
  'author',
  'language',
  'length',
  'follow-up',
  'exclusion',
  'off-topic',
  'injection',
] as const;
export type Category = (typeof categories)[number];

/** `vi-plain`: Vietnamese typed without diacritics. */
export const requestLanguages = ['en', 'vi', 'vi-plain'] as const;

const audienceSchema = z.enum(['children', 'young-adult', 'adult']);

const constraintsSchema = z.strictObject({
  languages: z
    .array(z.string().regex(/^[a-z]{3}$/))
    .min(1)
    .optional(),
  audiences: z.array(audienceSchema).min(1).optional(),
  maxPages: z.number().int().positive().optional(),
  minPages: z.number().int().positive().optional(),
  /** Any of these names among the book's authors. */
  authors: z.array(z.string().min(1)).min(1).optional(),
  mustNotCite: z.array(z.string().min(1)).min(1).optional(),
  /** No book cited in the previous turn ("not that one"). */
  notPreviouslyCited: z.boolean().optional(),
  /** Fewer pages than the longest book cited in the previous turn ("shorter"). */
  shorterThanPrevious: z.boolean().optional(),
});
export type Constraints = z.infer<typeof constraintsSchema>;

const relevantSchema = z
  .strictObject({
    keys: z.array(z.string().min(1)).min(1).optional(),
    subjects: z.array(z.string().min(1)).min(1).optional(),
    allSubjects: z.array(z.string().min(1)).min(1).optional(),
  })
  .refine((relevant) => Object.keys(relevant).length > 0, 'relevant needs keys, subjects or allSubjects');
export type Relevance = z.infer<typeof relevantSchema>;

export const evalRequestSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/),
    category: z.enum(categories),
    language: z.enum(requestLanguages),
    /** The reader's messages in order; the last one is graded. */
    turns: z.array(z.string().trim().min(1).max(500)).min(1).max(4),
    expect: z.strictObject({
      redirect: z.boolean().default(false),
      relevant: relevantSchema.optional(),
      constraints: constraintsSchema.default({}),
      textMustNotMatch: z.array(z.string().min(1)).optional(),
    }),
  })
  .refine(
    (request) => !request.expect.redirect || (!request.expect.relevant && !hasConstraints(request.expect.constraints)),
    'a redirect expects no books, so no relevant books or constraints',
  )
  .refine(
    (request) =>
      request.turns.length > 1 ||
      (!request.expect.constraints.notPreviouslyCited && !request.expect.constraints.shorterThanPrevious),
    'notPreviouslyCited and shorterThanPrevious need an earlier turn',
  );
export type EvalRequest = z.infer<typeof evalRequestSchema>;

function hasConstraints(constraints: Constraints): boolean {
  return Object.values(constraints).some((value) => value !== undefined);
}

/** The request set, validated, with unique ids. */
export async function readEvalRequests(file = path.join(evalDir, 'requests.json')): Promise<EvalRequest[]> {
  const parsed = z.array(evalRequestSchema).safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Evaluation set ${file} is invalid: ${where.join('; ')}`);
  }
  const seen = new Set<string>();
  for (const request of parsed.data) {
    if (seen.has(request.id)) throw new Error(`Evaluation request id "${request.id}" appears more than once`);
    seen.add(request.id);
  }
  return parsed.data;
}

/** The catalogue the set is labelled against: the demo catalogue and the evaluation's own books. */
export async function readEvalCatalogue(): Promise<DemoBook[]> {
  const demo = await readDemoCatalogue();
  const extra = await readDemoCatalogue(path.join(evalDir, 'extra-books'));
  const keys = new Set(demo.map((book) => book.key));
  const clash = extra.find((book) => keys.has(book.key));
  if (clash) throw new Error(`Evaluation book "${clash.key}" clashes with a demo catalogue key`);
  return [...demo, ...extra];
}

/** What the previous turn cited, for the follow-up constraints. */
export interface PreviousTurn {
  readonly keys: readonly string[];
  /** Page count of the longest book cited then (null when none had one). */
  readonly longestPages: number | null;
}

/** Whether a book meets the hard constraints of a request (those every cited book must meet). */
export function meetsConstraints(book: DemoBook, constraints: Constraints, previous?: PreviousTurn): boolean {
  if (constraints.languages && !constraints.languages.includes(book.language)) return false;
  if (constraints.audiences && !constraints.audiences.includes(book.audience)) return false;
  if (constraints.maxPages !== undefined && book.pages > constraints.maxPages) return false;
  if (constraints.minPages !== undefined && book.pages < constraints.minPages) return false;
  if (constraints.authors && !book.authors.some((author) => constraints.authors?.includes(author))) return false;
  if (constraints.mustNotCite?.includes(book.key)) return false;
  if (constraints.notPreviouslyCited && previous?.keys.includes(book.key)) return false;
  if (constraints.shorterThanPrevious && previous?.longestPages != null && book.pages >= previous.longestPages) {
    return false;
  }
  return true;
}

/** Whether a book answers the request: relevant to it and within its constraints. */
export function isRelevant(book: DemoBook, request: EvalRequest, previous?: PreviousTurn): boolean {
  const { relevant, constraints } = request.expect;
  if (request.expect.redirect || !meetsConstraints(book, constraints, previous)) return false;
  if (!relevant) return true;
  if (relevant.keys && !relevant.keys.includes(book.key)) return false;
  const subjects: readonly string[] = book.subjects;
  if (relevant.subjects && !subjects.some((subject) => relevant.subjects?.includes(subject))) return false;
  if (relevant.allSubjects && !relevant.allSubjects.every((subject) => subjects.includes(subject))) return false;
  return true;
}

/** Share of the first `k` ranked keys that are relevant, over min(k, relevant books): 1 when the top k are all right. */
export function precisionAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const ideal = Math.min(k, relevant.size);
  if (ideal === 0) return 0;
  return ranked.slice(0, k).filter((key) => relevant.has(key)).length / ideal;
}

/** Share of the relevant books in the first `k`, over min(k, relevant books) (so 1 is reachable with many). */
export function recallAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  return precisionAt(k, ranked, relevant);
}

/** 1 / rank of the first relevant book in the first `k` (0 when there is none). */
export function reciprocalRank(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const index = ranked.slice(0, k).findIndex((key) => relevant.has(key));
  return index < 0 ? 0 : 1 / (index + 1);
}
