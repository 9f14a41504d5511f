import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';

import { BookCover } from '../../../components/book-cover';
import { ErrorNotice } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useLocale, useMessages } from '../../../lib/i18n';
import { formatAuthors, formatYear } from '../../../utils/book-format';
import type { ChatBook } from '../api/chat-schemas';
import { useChat, type ChatTurn } from '../hooks/use-chat';
import { chatMessages } from '../messages';
import { answerBlocks, answerParts, citedIds } from '../utils/answer-text';

/** The longest message the chat API takes (its `maxMessageChars`). */
const MAX_MESSAGE_CHARS = 500;

/** The chat drawer's contents: the conversation, streamed answers with their cited books, and the message box. */
export default function ChatPanel({ onClose }: { onClose: () => void }) {
  const text = useMessages(chatMessages);
  const { turns, send, busy } = useChat();
  const [message, setMessage] = useState('');
  const inputId = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => input.current?.focus(), []);
  // Keep the newest words in view as they stream.
  const last = turns.at(-1);
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [last?.answer, last?.books.length, turns.length]);

  const ask = (value: string) => {
    const trimmed = value.trim();
    if (!trimmed || busy) return;
    setMessage('');
    void send(trimmed);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    ask(message);
  };

  return (
    <div className="chat">
      <div className="chat__header">
        <h2 id="chat-title" className="chat__title">
          {text.title}
        </h2>
        <button type="button" className="chat__close" aria-label={text.close} onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="chat__log" ref={log} role="log" aria-live="polite" aria-busy={busy}>
        {turns.length === 0 ? (
          <div className="chat__intro">
            <p>{text.intro}</p>
            <ul className="chat__examples">
              {text.examples.map((example) => (
                <li key={example}>
                  <button type="button" className="chip" onClick={() => ask(example)}>
                    {example}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          turns.map((turn) => <Turn key={turn.id} turn={turn} />)
        )}
      </div>
      <form className="chat__form" onSubmit={onSubmit}>
        <label htmlFor={inputId} className="visually-hidden">
          {text.label}
        </label>
        <textarea
          id={inputId}
          ref={input}
          rows={2}
          value={message}
          maxLength={MAX_MESSAGE_CHARS}
          placeholder={text.placeholder}
          onChange={(event) => setMessage(event.target.value)}
          onKeyDown={(event) => {
            // Enter sends, Shift+Enter starts a new line.
            if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              ask(message);
            }
          }}
        />
        <button type="submit" className="button" aria-disabled={busy || !message.trim()}>
          {text.send}
        </button>
      </form>
    </div>
  );
}

function Turn({ turn }: { turn: ChatTurn }) {
  const text = useMessages(chatMessages);
  const streaming = turn.status === 'streaming';
  const cited = turn.citedIds ?? citedIds(turn.answer);
  const byId = new Map(turn.books.map((book) => [book.id, book]));
  const citedBooks = cited.flatMap((id) => byId.get(id) ?? []);

  return (
    <div className="chat-turn">
      <div className="chat-bubble chat-bubble--reader">
        <p className="chat-bubble__who">{text.you}</p>
        <p className="chat-bubble__text">{turn.question}</p>
      </div>
      <div className="chat-bubble chat-bubble--library" aria-busy={streaming}>
        <p className="chat-bubble__who">{text.librarian}</p>
        {turn.status === 'error' ? (
          <ErrorNotice title={text.error} error={turn.error} />
        ) : turn.answer === '' ? (
          <p className="status">
            <span className="spinner" aria-hidden="true" />
            {text.thinking}
          </p>
        ) : (
          <div className="chat-bubble__text chat-answer">
            <AnswerText answer={turn.answer} streaming={streaming} cited={cited} books={byId} />
            {streaming && <span className="chat-answer__caret" aria-hidden="true" />}
          </div>
        )}
        {citedBooks.length > 0 && (
          <section className="chat-books" aria-label={text.citedBooks}>
            <h3 className="chat-books__heading">{text.citedBooks}</h3>
            <ul className="chat-books__list">
              {citedBooks.map((book) => (
                <li key={book.id}>
                  <ChatBookCard book={book} />
                </li>
              ))}
            </ul>
          </section>
        )}
        {turn.composer && (
          <p className={`chat-badge ${turn.composer === 'offline' ? 'chat-badge--offline' : ''}`}>
            {turn.composer === 'offline' ? text.offline : text.model}
          </p>
        )}
      </div>
    </div>
  );
}

/** The answer as paragraphs and lists, with its citations as numbered links to the books. */
function AnswerText({
  answer,
  streaming,
  cited,
  books,
}: {
  answer: string;
  streaming: boolean;
  cited: readonly string[];
  books: ReadonlyMap<string, ChatBook>;
}) {
  const blocks = answerBlocks(answer);
  const line = (text: string, isEnd: boolean) =>
    answerParts(text, streaming && isEnd).map((part, index) =>
      part.kind === 'text' ? (
        <span key={index}>{part.text}</span>
      ) : (
        <Citation key={index} index={cited.indexOf(part.bookId) + 1} book={books.get(part.bookId)} />
      ),
    );
  return blocks.map((block, blockIndex) => {
    const isLastBlock = blockIndex === blocks.length - 1;
    return block.kind === 'list' ? (
      <ul key={blockIndex}>
        {block.lines.map((text, lineIndex) => (
          <li key={lineIndex}>{line(text, isLastBlock && lineIndex === block.lines.length - 1)}</li>
        ))}
      </ul>
    ) : (
      <p key={blockIndex}>{line(block.lines.join('\n'), isLastBlock)}</p>
    );
  });
}

function Citation({ index, book }: { index: number; book: ChatBook | undefined }) {
  const text = useMessages(chatMessages);
  if (!book) return null;
  return (
    <Link className="chat-citation" to={paths.book.getHref(book.id)} aria-label={text.citation(index, book.title)}>
      {index}
    </Link>
  );
}

/** A cited book: cover, title (the link to its page), authors and year. */
function ChatBookCard({ book }: { book: ChatBook }) {
  const { locale } = useLocale();
  const year = formatYear(book.year, locale);
  return (
    <article className="book-card book-card--compact">
      <BookCover book={book} />
      <div className="book-card__body">
        <h4 className="book-card__title">
          <Link className="book-card__link" to={paths.book.getHref(book.id)}>
            {book.title}
          </Link>
        </h4>
        <p className="book-card__authors">{formatAuthors(book.authors, locale)}</p>
        {year && <p className="book-card__meta">{year}</p>}
      </div>
    </article>
  );
}
