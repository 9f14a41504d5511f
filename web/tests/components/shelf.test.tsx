// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Shelf } from '../../src/features/shelf/components/shelf';
import { shelfRecord } from '../../src/features/shelf/utils/shelf-record';
import { sessionStore } from '../../src/lib/session';
import { bookDetail } from '../support/catalogue-fixtures';
import { recordingFetch } from '../support/fake-token';
import { TEST_READER_ID, renderWithApp } from '../support/render-app';

const historyPath = `/api/readers/${TEST_READER_ID}/history`;
const books = [bookDetail({ id: '7' }), bookDetail({ id: '8', title: 'Dune', authors: ['Frank Herbert'] })];

function renderShelf() {
  const api = recordingFetch((key, url) => {
    if (key === `POST ${historyPath}/pause` || key === `POST ${historyPath}/resume` || key === `DELETE ${historyPath}`)
      return new Response(null, { status: 204 });
    const book = books.find((candidate) => url.pathname === `/api/books/${candidate.id}`);
    return book ? Response.json(book) : undefined;
  });
  return { ...renderWithApp(<Shelf />, { fetch: api.fetch, path: '/shelf' }), requests: api.requests };
}

describe('Shelf', () => {
  beforeEach(() => {
    sessionStore.set(null);
    shelfRecord.setPaused(TEST_READER_ID, false);
    shelfRecord.clear(TEST_READER_ID);
    const [first, second] = books;
    shelfRecord.record({
      type: 'borrow',
      bookId: first!.id,
      readerId: TEST_READER_ID,
      eventId: 'e1',
      occurredAt: '2026-12-01T10:00:00.000Z',
    });
    shelfRecord.record({
      type: 'rate',
      bookId: second!.id,
      rating: 4,
      readerId: TEST_READER_ID,
      eventId: 'e2',
      occurredAt: '2026-12-02T10:00:00.000Z',
    });
    shelfRecord.record({
      type: 'impression',
      bookId: second!.id,
      readerId: TEST_READER_ID,
      eventId: 'e3',
      occurredAt: '2026-12-02T10:00:00.000Z',
      recommendationId: 'r1',
      position: 0,
      modelVersion: 'popular',
    });
  });
  afterEach(cleanup);

  it('shows what this browser recorded, newest first, with the books and a note that it is local', async () => {
    // Act
    renderShelf();

    // Assess
    const list = screen.getByRole('list', { name: 'Recent history' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    await within(list).findByRole('link', { name: 'Dune' });
    expect(items[0]!.textContent).toContain('Rated 4 of 5');
    expect(items[1]!.textContent).toContain('Borrowed');
    expect(screen.getByText(/What this browser recorded/)).toBeTruthy();
    expect(screen.getByText(/You are not signed in/)).toBeTruthy();
  });

  it('pauses and resumes the history, saying what each does', async () => {
    // Prepare
    const { requests } = renderShelf();
    const user = userEvent.setup();

    // Act
    await user.click(screen.getByRole('button', { name: 'Pause history' }));

    // Assess
    await screen.findByText('History paused. Nothing you do is recorded now.');
    expect(requests.some((request) => request.method === 'POST' && request.path === `${historyPath}/pause`)).toBe(true);
    expect(screen.getByText(/Your history is paused/)).toBeTruthy();
    expect(shelfRecord.get().paused).toContain(TEST_READER_ID);

    // Act
    await user.click(screen.getByRole('button', { name: 'Resume history' }));

    // Assess
    await screen.findByText('History resumed.');
    expect(requests.some((request) => request.path === `${historyPath}/resume`)).toBe(true);
    expect(screen.getByText('Your history is being recorded.')).toBeTruthy();
  });

  it('deletes the history only after the reader confirms, then forgets the local record', async () => {
    // Prepare
    const { requests } = renderShelf();
    const user = userEvent.setup();

    // Act: open the dialog, and cancel.
    await user.click(screen.getByRole('button', { name: 'Delete my history' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete your history?' });
    expect(within(dialog).getByText(/cannot be undone/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    // Assess: nothing deleted.
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);

    // Act: again, and confirm.
    await user.click(screen.getByRole('button', { name: 'Delete my history' }));
    await user.click(
      within(screen.getByRole('dialog', { name: 'Delete your history?' })).getByRole('button', {
        name: 'Yes, delete my history',
      }),
    );

    // Assess
    await screen.findByText(/Your history was deleted/);
    expect(requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([
      historyPath,
    ]);
    expect(screen.queryByRole('list', { name: 'Recent history' })).toBeNull();
    expect(shelfRecord.get().entries.filter((entry) => entry.readerId === TEST_READER_ID)).toEqual([]);
  });

  it('shows the API’s reason when a control fails', async () => {
    // Prepare
    const api = recordingFetch(() => Response.json({ message: 'Reader ids must be your own' }, { status: 403 }));
    renderWithApp(<Shelf />, { fetch: api.fetch, path: '/shelf' });
    const user = userEvent.setup();

    // Act
    await user.click(screen.getByRole('button', { name: 'Pause history' }));

    // Assess
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Reader ids must be your own');
    await waitFor(() => expect(screen.getByText('Your history is being recorded.')).toBeTruthy());
  });
});
