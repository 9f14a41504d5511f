// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { BookActions } from '../../src/features/recommendations/components/book-actions';
import { SimilarBooks } from '../../src/features/recommendations/components/similar-books';
import { book, served } from '../support/recommendation-fixtures';
import { fakeApi, renderWithApp } from '../support/render-app';

const withoutIds = (events: { type: string }[]) =>
  events.map((event) => {
    const {
      eventId: _eventId,
      occurredAt: _occurredAt,
      readerId: _readerId,
      ...rest
    } = event as Record<string, unknown>;
    return rest;
  });

describe('BookActions', () => {
  afterEach(cleanup);

  it('sends one open when the book is shown, even in strict mode', async () => {
    // Prepare
    const api = fakeApi({});

    // Act
    renderWithApp(<BookActions bookId="42" />, { fetch: api.fetch });

    // Assess
    await waitFor(() => expect(api.events).toHaveLength(1));
    expect(withoutIds(api.events)).toEqual([{ type: 'open', bookId: '42' }]);
  });

  it('borrows once, confirms it and keeps the button focusable', async () => {
    // Prepare
    const api = fakeApi({});
    renderWithApp(<BookActions bookId="42" />, { fetch: api.fetch });
    const user = userEvent.setup();
    const borrow = screen.getByRole('button', { name: 'Borrow' });

    // Act
    await user.click(borrow);
    await user.click(screen.getByRole('button', { name: /Borrowed/ }));

    // Assess
    expect(screen.getByRole('status').textContent).toBe('You borrowed this book. Enjoy reading!');
    expect(borrow.getAttribute('aria-disabled')).toBe('true');
    await waitFor(() => expect(api.events).toHaveLength(2));
    expect(withoutIds(api.events)).toEqual([
      { type: 'open', bookId: '42' },
      { type: 'borrow', bookId: '42' },
    ]);
  });

  it('works from the keyboard alone: want to read, not interested and a rating', async () => {
    // Prepare
    const api = fakeApi({});
    renderWithApp(<BookActions bookId="42" />, { fetch: api.fetch });
    const user = userEvent.setup();

    // Act: Tab to "Want to read" and press Enter; on to "Not interested" and press Space
    await user.tab();
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Want to read');
    await user.keyboard('{Enter}');
    await user.tab();
    await user.keyboard(' ');
    // ...then on to the fourth star
    for (let step = 0; step < 4; step++) await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('4 stars');
    await user.keyboard('{Enter}');

    // Assess
    const rating = screen.getByRole('group', { name: 'Your rating' });
    expect(within(rating).getByRole('button', { name: '4 stars' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('You rated this book 4 out of 5.');
    await waitFor(() => expect(api.events).toHaveLength(4));
    expect(withoutIds(api.events)).toEqual([
      { type: 'open', bookId: '42' },
      { type: 'add-to-list', bookId: '42', list: 'want-to-read' },
      { type: 'dismiss', bookId: '42' },
      { type: 'rate', bookId: '42', rating: 4 },
    ]);
  });
});

describe('SimilarBooks', () => {
  afterEach(cleanup);

  it('lists the books like this one, with why', async () => {
    // Prepare
    const api = fakeApi({
      '/api/books/7/similar': () => ({
        bookId: '7',
        items: [
          served(0, book('9', 'Solaris'), { kind: 'similar', becauseBookId: '7', because: { id: '7', title: 'Dune' } }),
          served(1, book('8', 'Dune Messiah'), {
            kind: 'same-series',
            becauseBookId: '7',
            because: { id: '7', title: 'Dune' },
          }),
        ],
      }),
    });

    // Act
    renderWithApp(<SimilarBooks bookId="7" />, { fetch: api.fetch });

    // Assess
    const list = await screen.findByRole('list', { name: 'Similar books' });
    expect(
      within(list)
        .getAllByRole('heading')
        .map((heading) => heading.textContent),
    ).toEqual(['Solaris', 'Dune Messiah']);
    expect(within(list).getByText('In the same series as Dune')).toBeTruthy();
  });
});
