/** A piece of an answer: plain text, or a citation of a book (`[#123]` in the streamed text). */
export type AnswerPart = { kind: 'text'; text: string } | { kind: 'cite'; bookId: string };

const CITATION = /\[#(\d{1,18})\]/g;
/** A citation cut by the end of the text streamed so far ("[", "[#", "[#12"). */
const PARTIAL_CITATION = /\[(#\d{0,18})?$/;

/** Splits an answer into text and citations; while it streams, a half-received citation at the end is held back. */
export function answerParts(text: string, streaming = false): AnswerPart[] {
  const shown = streaming ? text.replace(PARTIAL_CITATION, '') : text;
  const parts: AnswerPart[] = [];
  let last = 0;
  for (const match of shown.matchAll(CITATION)) {
    if (match.index > last) parts.push({ kind: 'text', text: shown.slice(last, match.index) });
    parts.push({ kind: 'cite', bookId: match[1] ?? '' });
    last = match.index + match[0].length;
  }
  if (last < shown.length) parts.push({ kind: 'text', text: shown.slice(last) });
  return parts;
}

/** The ids cited in `text`, in the order they first appear. */
export function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((match) => match[1] ?? ''))];
}

/** Lines of an answer grouped into paragraphs and bulleted lists ("- " lines), as the composers write them. */
export type AnswerBlock = { kind: 'paragraph' | 'list'; lines: string[] };

export function answerBlocks(text: string): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  for (const line of text.split('\n')) {
    const bullet = /^\s*[-*•]\s+/.exec(line);
    const kind = bullet ? 'list' : 'paragraph';
    const content = bullet ? line.slice(bullet[0].length) : line;
    if (!bullet && content.trim() === '') continue;
    const last = blocks.at(-1);
    if (last && last.kind === kind && kind === 'list') last.lines.push(content);
    else blocks.push({ kind, lines: [content] });
  }
  return blocks;
}
