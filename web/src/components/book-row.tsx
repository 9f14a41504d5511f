import type { ReactNode } from 'react';

/** How many placeholder cards hold a row's place while it loads (more than the widest screen shows). */
export const BOOK_ROW_PLACEHOLDERS = 6;

/**
 * A row of books on the home page ("Because you read X", "Popular", "New arrivals"…): a heading, a line of intro, an
 * optional link, and the books side by side, scrolling sideways when they do not fit. While `loadingLabel` is set,
 * the label is announced and placeholder cards of the books' exact height hold the row's place, so nothing below
 * moves when the books arrive. `children` is the `<BookRowList>` once loaded, or a notice.
 */
export function BookRow({
  id,
  heading,
  intro,
  more,
  loadingLabel,
  children,
}: {
  id: string;
  heading: ReactNode;
  intro?: ReactNode;
  more?: ReactNode;
  loadingLabel?: string | undefined;
  children?: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section className="section book-row-section" aria-labelledby={headingId} data-row={id}>
      <div className="page-heading">
        <h2 id={headingId}>{heading}</h2>
        {more && <p className="book-row-section__more">{more}</p>}
      </div>
      {intro && <p className="book-row-section__intro">{intro}</p>}
      <p className="visually-hidden" role="status">
        {loadingLabel ?? ''}
      </p>
      {loadingLabel !== undefined ? (
        <ul className="book-row" aria-hidden="true">
          {Array.from({ length: BOOK_ROW_PLACEHOLDERS }, (_, index) => (
            <li key={index}>
              <div className="book-card book-card--placeholder" />
            </li>
          ))}
        </ul>
      ) : (
        children
      )}
    </section>
  );
}

/** The books of a `BookRow`, one `<li>` each; named by the row's heading. */
export function BookRowList({ rowId, children }: { rowId: string; children: ReactNode }) {
  return (
    <ul className="book-row" aria-labelledby={`${rowId}-heading`}>
      {children}
    </ul>
  );
}
