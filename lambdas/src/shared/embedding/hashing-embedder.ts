/**
 * An offline embedder that needs no downloaded weights: feature hashing (Weinberger et al. 2009) of normalised word
 * unigrams and bigrams and of character trigrams, with signed hashing, sublinear term frequency and an L2 norm.
 * Text is accent-folded first, so "Truyện Kiều" and "Truyen Kieu" give the same vector. Deterministic: the same text
 * and options always give the same vector, on any machine.
 */
import { l2Normalise, type Embedder } from './embedder';

export interface HashingEmbedderOptions {
  /** Vector length (default 384). */
  readonly dimension?: number;
  /** Changes every hash; vectors made with different seeds are not comparable (default 0). */
  readonly seed?: number;
  /** Weights of the three feature families (defaults: words 1, word bigrams 0.7, character trigrams 0.4). */
  readonly weights?: Partial<FeatureWeights>;
}

export interface FeatureWeights {
  readonly word: number;
  readonly bigram: number;
  readonly trigram: number;
}

const defaultWeights: FeatureWeights = { word: 1, bigram: 0.7, trigram: 0.4 };

/** Function words that carry no topic (English, French, Spanish, German, Italian, Portuguese, Vietnamese). */
const stopWords = new Set(
  (
    'a an and are as at be but by for from has have he her his i in is it its of on or she that the their them they ' +
    'this to was were which who will with you your not no into out up so than then there these those we our us ' +
    'le la les un une des du de et en est il elle dans pour par sur au aux que qui ne pas se son sa ses ' +
    'el los las y del con por para una su al lo der die das und ein eine zu den mit von ist im nicht sich auf ' +
    'il di e che per con non una uo os as um uma do da dos das em no na ' +
    'va cua la co nhung mot nguoi cac trong cho duoc khong voi nay da'
  ).split(' '),
);

export class HashingEmbedder implements Embedder {
  readonly dimension: number;
  readonly modelId: string;
  private readonly seed: number;
  private readonly weights: FeatureWeights;

  constructor(options: HashingEmbedderOptions = {}) {
    this.dimension = options.dimension ?? 384;
    this.seed = options.seed ?? 0;
    this.weights = { ...defaultWeights, ...options.weights };
    if (!Number.isInteger(this.dimension) || this.dimension < 2) {
      throw new RangeError(`HashingEmbedder dimension must be an integer >= 2, got ${this.dimension}`);
    }
    const w = this.weights;
    this.modelId = `shelfwise-hashing-v1:d${this.dimension}:s${this.seed}:w${w.word}/${w.bigram}/${w.trigram}`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((text) => this.embedOne(text)));
  }

  /** The synchronous form of `embed` for one text. */
  embedOne(text: string): Float32Array {
    const counts = new Map<string, number>();
    const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const tokens = tokenise(text);
    const words = tokens.filter((token) => !stopWords.has(token));
    for (const word of words) add(`w\u0001${word}`);
    for (let i = 1; i < words.length; i++) add(`b\u0001${words[i - 1]} ${words[i]}`);
    for (const token of tokens) {
      const padded = ` ${token} `;
      for (let i = 0; i + 3 <= padded.length; i++) add(`c\u0001${padded.slice(i, i + 3)}`);
    }
    const vector = new Float32Array(this.dimension);
    for (const [feature, count] of counts) {
      const family =
        feature[0] === 'w' ? this.weights.word : feature[0] === 'b' ? this.weights.bigram : this.weights.trigram;
      const hash = fmix32(fnv1a(feature) ^ this.seed);
      const index = hash % this.dimension;
      const sign = fmix32(hash ^ 0x9e3779b9) & 1 ? -1 : 1;
      vector[index] = (vector[index] ?? 0) + sign * family * (1 + Math.log(count));
    }
    return l2Normalise(vector);
  }
}

/**
 * Lower-case, accent-folded word tokens: NFKD, combining marks removed, and the letters that do not decompose
 * (đ, ø, ł, æ, œ, ß, …) mapped to their ASCII look-alikes.
 */
export function tokenise(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

const undecomposable: Readonly<Record<string, string>> = {
  đ: 'd',
  ð: 'd',
  ø: 'o',
  ł: 'l',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  þ: 'th',
  ı: 'i',
};

export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[đðøłæœßþı]/g, (letter) => undecomposable[letter] ?? letter);
}

/** 32-bit FNV-1a over UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
