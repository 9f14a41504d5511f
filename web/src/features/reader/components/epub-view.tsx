import ePub, { type Book, type Rendition } from 'epubjs';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';

/** Where the reader is: the CFI of the first thing on the page and how far through the book (0–1). */
export interface EpubPlace {
  readonly location: string;
  readonly progress: number;
  readonly atEnd: boolean;
}

export interface EpubViewHandle {
  next(): void;
  previous(): void;
}

/** Characters per generated location: the unit progress is measured in (small books: fine grained). */
const charactersPerLocation = 600;

/**
 * One EPUB rendered by epub.js (this module and epub.js load only when a reader opens an EPUB): paginated, one page
 * at a time, opened at `start` (a CFI) when given. Reports every new place; the arrow keys turn pages, in the page
 * as well as in the book's frame.
 */
export default function EpubView({
  data,
  start,
  title,
  onPlace,
  onError,
  ref,
}: {
  data: ArrayBuffer;
  start: string | null;
  title: string;
  onPlace: (place: EpubPlace) => void;
  /** The book could not be laid out (a damaged EPUB). */
  onError: (error: unknown) => void;
  ref?: Ref<EpubViewHandle>;
}) {
  const element = useRef<HTMLDivElement>(null);
  const rendition = useRef<Rendition | null>(null);
  // Kept in refs: a new title or callback must not lay the book out again (the reader would lose their page).
  const callbacks = useRef({ onPlace, onError, title });
  callbacks.current = { onPlace, onError, title };

  useImperativeHandle(ref, () => ({
    next: () => void rendition.current?.next(),
    previous: () => void rendition.current?.prev(),
  }));

  useEffect(() => {
    const target = element.current;
    if (!target) return;
    let book: Book | null = ePub(data);
    const view = book.renderTo(target, { width: '100%', height: '100%', flow: 'paginated', spread: 'none' });
    rendition.current = view;
    let located = false;
    const report = (cfi: string, atEnd: boolean) => {
      if (!book) return;
      const progress = located ? book.locations.percentageFromCfi(cfi) : 0;
      callbacks.current.onPlace({ location: cfi, progress: atEnd ? 1 : progress, atEnd });
    };
    view.on('relocated', (place: { start: { cfi: string }; atEnd: boolean }) => report(place.start.cfi, place.atEnd));
    const keys = (event: KeyboardEvent) => {
      if (event.key === 'ArrowRight') void view.next();
      if (event.key === 'ArrowLeft') void view.prev();
    };
    view.on('keyup', keys);
    // On the page too, unless the reader is typing (the header's search box).
    const pageKeys = (event: KeyboardEvent) => {
      if (!(event.target instanceof HTMLElement) || !event.target.closest('input, textarea, select')) keys(event);
    };
    document.addEventListener('keyup', pageKeys);
    // Each chapter is rendered in its own frame: name it for assistive technology.
    view.hooks.render.register((rendered: { iframe?: HTMLIFrameElement }) => {
      rendered.iframe?.setAttribute('title', callbacks.current.title);
    });
    void (async () => {
      try {
        // A saved place this book does not have (another edition's) opens the book at its start.
        await view.display(start ?? undefined).catch((error: unknown) => {
          if (start === null) throw error;
          return view.display();
        });
        await book?.locations.generate(charactersPerLocation);
        located = true;
        const current = view.location as { start?: { cfi: string }; atEnd?: boolean } | undefined;
        if (current?.start) report(current.start.cfi, current.atEnd ?? false);
      } catch (error) {
        if (book) callbacks.current.onError(error);
      }
    })();
    return () => {
      document.removeEventListener('keyup', pageKeys);
      rendition.current = null;
      book?.destroy();
      book = null;
    };
  }, [data, start]);

  return <div ref={element} className="epub-view" />;
}
