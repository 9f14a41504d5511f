import type { CSSProperties } from 'react';

import { coverPlaceholder } from '../utils/cover';

/** A generated cover: the title's initials on a colour derived from the book id. Decorative, hidden from readers. */
export function BookCover({ book, size = 'small' }: { book: { id: string; title: string }; size?: 'small' | 'large' }) {
  const { initials, hue } = coverPlaceholder(book);
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
