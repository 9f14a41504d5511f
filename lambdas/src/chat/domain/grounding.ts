/**
 * Grounding: an answer may cite only books retrieval returned. Citations are written `[#<book id>]`; a citation of
 * any other id is removed from the text before it is sent, even when the model streams it across two chunks.
 * Descriptions are untrusted: `safeSentences` keeps the sentences of a description that do not address the reader's
 * assistant ("ignore your instructions", "system prompt", links), for the offline composer's reasons.
 */

const citation = /\[#(\d{1,19})\]/g;
/** A chunk's tail that may be the start of a citation continued in the next chunk. */
const partialCitation = /\[(#\d{0,19})?$/;

export interface GroundedStream {
  readonly chunks: AsyncIterable<string>;
  /** Ids cited and kept, in order of first citation; complete once `chunks` is exhausted. */
  readonly cited: string[];
}

export function groundCitations(source: AsyncIterable<string>, allowedIds: ReadonlySet<string>): GroundedStream {
  const cited: string[] = [];
  const clean = (text: string) =>
    text.replace(citation, (marker, id: string) => {
      if (!allowedIds.has(id)) return '';
      if (!cited.includes(id)) cited.push(id);
      return marker;
    });
  async function* chunks() {
    let pending = '';
    for await (const chunk of source) {
      const text = pending + chunk;
      const tail = partialCitation.exec(text);
      const cut = tail ? tail.index : text.length;
      pending = text.slice(cut);
      const ready = clean(text.slice(0, cut));
      if (ready) yield ready;
    }
    const rest = clean(pending);
    if (rest) yield rest;
  }
  return { chunks: chunks(), cited };
}

const instructionLike =
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|above|previous)\b|\b(system prompt|you are (now )?an? (ai|assistant|chatbot)|as an ai|assistant:|jailbreak)\b|https?:\/\/|www\.|\[#\d+\]/i;

/** The sentences of an untrusted text that read as a description, not as instructions. */
export function safeSentences(text: string | null): string[] {
  if (!text) return [];
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0 && !instructionLike.test(sentence));
}
