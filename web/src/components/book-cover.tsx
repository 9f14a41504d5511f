import type { CSSProperties } from 'react';

import { coverPlaceholder } from '../utils/cover';

/** Pixel size of each cover size at the default 16px root font (`.book-cover--*`, 2:3), so the layout never shifts. */
const coverPixels = { small: { width: 72, height: 108 }, large: { width: 192, height: 288 } } as const;

/**
 * A book's cover: Calibre's cover when the API gives its URL (`cover`, a lazy-loaded image with its size set, so the
 * page does not shift while it loads), otherwise a generated one: the title's initials on a colour derived from the
 * book id, decorative and hidden from readers.
 */
export function BookCover({
  book,
  size = 'small',
  cover,
}: {
  book: { id: string; title: string };
  size?: 'small' | 'large';
  /** Calibre's cover and its text alternative; absent or null → the generated cover. */
  cover?: { url: string; alt: string } | null;
}) {
  const { initials, hue } = coverPlaceholder(book);
  if (cover) {
    return (
      <img
        className={`book-cover book-cover--${size} book-cover--image`}
        style={{ '--cover-hue': hue } as CSSProperties}
        src={cover.url}
        alt={cover.alt}
        {...coverPixels[size]}
        loading="lazy"
        decoding="async"
      />
    );
  }
  return (
    <div
      className={`book-cover book-cover--${size}`}
      style={{ '--cover-hue': hue } as CSSProperties}
      aria-hidden="true"
    >
      <span className="book-cover__initials">{initials}</span>
    </div>
  );
}
