/**
 * The offline grounded composer: no language model. It writes a short answer from the retrieved books themselves,
 * one line per book with a reason taken from its subjects and the first sentence of its description that reads as a
 * description (descriptions are untrusted; `safeSentences` drops instruction-like sentences). It only ever cites the
 * books it was given. It writes in the prompt's language (English by default; `domain/answer-phrases.ts`). The
 * response says `"composer": "offline"` so the UI can tell the reader.
 */
import { matchKey } from '../../catalogue/domain/names';
import { answerPhrases, phrasesFor, type AnswerPhrases } from '../domain/answer-phrases';
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
    const phrases = phrasesFor(prompt.language);
    const books = prompt.books.slice(0, composedBooks);
    if (books.length === 0) {
      yield* phrases.noMatch;
      return;
    }
    yield phrases.intro(
      books.length,
      prompt.understood.map((note) => phrases.note(note)),
    );
    for (const book of books) yield `- ${bookLine(book, prompt.request, phrases)}\n`;
  }
}

function bookLine(book: BookCard, request: string, phrases: AnswerPhrases): string {
  return `${book.title}${phrases.by(book.authors)} [#${book.id}]: ${reason(book, request, phrases)}`;
}

/**
 * Subjects the request named first (by the tag's name or its name in the answer's language), then the book's other
 * subjects; its length; then its first safe description sentence (catalogue text, not translated).
 */
export function reason(book: BookCard, request: string, phrases: AnswerPhrases = answerPhrases.en): string {
  const words = new Set(matchKey(request).split(' '));
  const leaves = [...new Set(book.subjects.map((path) => path.split('.').at(-1) ?? path))];
  const named = leaves.filter((leaf) =>
    [leaf, phrases.subject(leaf)].some((name) =>
      matchKey(name)
        .split(' ')
        .some((word) => words.has(word)),
    ),
  );
  const subjects = [...named, ...leaves.filter((leaf) => !named.includes(leaf))].slice(0, 3);
  const parts: string[] = [];
  if (subjects.length > 0) parts.push(subjects.map((leaf) => phrases.subject(leaf)).join(', '));
  if (book.pageCount) parts.push(phrases.pages(book.pageCount));
  const sentence = safeSentences(book.description)[0];
  const summary = parts.length > 0 ? `${capitalise(parts.join('; '))}.` : '';
  if (!sentence) return summary || phrases.fromCatalogue;
  const clipped = sentence.length > maxReasonChars ? `${sentence.slice(0, maxReasonChars - 1).trimEnd()}…` : sentence;
  return summary ? `${summary} ${clipped}` : clipped;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
