/**
 * The offline grounded composer: no language model. It writes a short answer from the retrieved books themselves,
 * one line per book with a reason taken from its subjects and the first sentence of its description that reads as a
 * description (descriptions are untrusted; `safeSentences` drops instruction-like sentences). It only ever cites the
 * books it was given. The response says `"composer": "offline"` so the UI can tell the reader.
 */
import { matchKey } from '../../catalogue/domain/names';
import type { BookCard } from '../domain/chat';
import { safeSentences } from '../domain/grounding';
import type { ChatModel, ChatPrompt } from '../ports';

/** Books the composer writes about. */
export const composedBooks = 3;
const maxReasonChars = 180;

export class OfflineComposer implements ChatModel {
  readonly name = 'offline' as const;

  async *stream(prompt: ChatPrompt): AsyncIterable<string> {
    await Promise.resolve();
    const books = prompt.books.slice(0, composedBooks);
    if (books.length === 0) {
      yield 'I could not find a book on our shelves that fits all of that. ';
      yield 'Try fewer conditions, or other words for the subject.';
      return;
    }
    const wanted = prompt.understood.length > 0 ? ` (${prompt.understood.join(', ')})` : '';
    yield books.length === 1
      ? `Here is a book from our shelves${wanted}:\n`
      : `Here are ${books.length} books from our shelves${wanted}:\n`;
    for (const book of books) yield `- ${bookLine(book, prompt.request)}\n`;
  }
}

function bookLine(book: BookCard, request: string): string {
  const by = book.authors.length > 0 ? ` by ${book.authors.join(', ')}` : '';
  return `${book.title}${by} [#${book.id}]: ${reason(book, request)}`;
}

/** Subjects the request named first, then the book's other subjects; then its first safe description sentence. */
export function reason(book: BookCard, request: string): string {
  const words = new Set(matchKey(request).split(' '));
  const leaves = [...new Set(book.subjects.map((path) => path.split('.').at(-1) ?? path))];
  const named = leaves.filter((leaf) =>
    matchKey(leaf)
      .split(' ')
      .some((word) => words.has(word)),
  );
  const subjects = [...named, ...leaves.filter((leaf) => !named.includes(leaf))].slice(0, 3);
  const parts: string[] = [];
  if (subjects.length > 0) parts.push(`${subjects.join(', ').toLowerCase()}`);
  if (book.pageCount) parts.push(`${book.pageCount} pages`);
  const sentence = safeSentences(book.description)[0];
  const summary = parts.length > 0 ? `${capitalise(parts.join('; '))}.` : '';
  if (!sentence) return summary || 'From our catalogue.';
  const clipped = sentence.length > maxReasonChars ? `${sentence.slice(0, maxReasonChars - 1).trimEnd()}…` : sentence;
  return summary ? `${summary} ${clipped}` : clipped;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
