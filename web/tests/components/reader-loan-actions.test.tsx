// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { LoanActions } from '../../src/features/reader/components/loan-actions';
import { sessionStore } from '../../src/lib/session';
import { READER_SUB, readerToken, recordingFetch } from '../support/fake-token';
import { renderWithApp } from '../support/render-app';

const loan = {
  id: '7',
  bookId: '42',
  readerId: READER_SUB,
  borrowedAt: '2026-12-01T10:00:00.000Z',
  dueAt: '2099-12-15T10:00:00.000Z',
  returnedAt: null,
  endReason: null,
};

function signIn() {
  sessionStore.set({
    accessToken: readerToken(),
    sub: READER_SUB,
    username: 'reader@shelfwise.local',
    groups: [],
    expiresAt: Date.now() + 3_600_000,
  });
}

describe('LoanActions', () => {
  afterEach(() => {
    cleanup();
    sessionStore.set(null);
  });

  it('asks an anonymous reader to sign in to borrow', () => {
    // Act
    renderWithApp(<LoanActions bookId="42" />, { fetch: recordingFetch(() => undefined).fetch });

    // Assess
    expect(screen.getByRole('link', { name: 'Sign in to borrow and read the e-book' }).getAttribute('href')).toBe(
      '/sign-in',
    );
    expect(screen.queryByRole('button', { name: 'Borrow e-book' })).toBeNull();
  });

  it('borrows the e-book for a signed-in reader, then offers to read it', async () => {
    // Prepare
    signIn();
    let borrowed = false;
    const api = recordingFetch((key) => {
      if (key === `GET /api/readers/${READER_SUB}/loans`)
        return Response.json({ loans: borrowed ? [loan] : [], holds: [] });
      if (key === `POST /api/readers/${READER_SUB}/loans`) {
        borrowed = true;
        return Response.json(loan, { status: 201 });
      }
      return undefined;
    });
    renderWithApp(<LoanActions bookId="42" />, { fetch: api.fetch, path: '/books/42' });
    const user = userEvent.setup();

    // Act
    await user.click(await screen.findByRole('button', { name: 'Borrow e-book' }));

    // Assess
    const read = await screen.findByRole('link', { name: 'Read' });
    expect(read.getAttribute('href')).toBe('/read/7');
    expect(screen.getByText(/On loan to you until/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Borrowed. Open it with "Read".');
    expect(api.requests.find((request) => request.method === 'POST')).toMatchObject({
      body: { bookId: '42' },
    });
  });

  it('says why a borrow was refused, and offers a hold when no copy is free', async () => {
    // Prepare
    signIn();
    const api = recordingFetch((key) => {
      if (key === `GET /api/readers/${READER_SUB}/loans`) return Response.json({ loans: [], holds: [] });
      if (key === `POST /api/readers/${READER_SUB}/loans`) {
        return Response.json({ message: 'Every copy is out; place a hold', reason: 'no-copy-free' }, { status: 409 });
      }
      if (key === `POST /api/readers/${READER_SUB}/holds`) {
        return Response.json(
          {
            id: '3',
            bookId: '42',
            readerId: READER_SUB,
            placedAt: loan.borrowedAt,
            status: 'waiting',
            readyUntil: null,
            position: 2,
          },
          { status: 201 },
        );
      }
      return undefined;
    });
    renderWithApp(<LoanActions bookId="42" />, { fetch: api.fetch, path: '/books/42' });
    const user = userEvent.setup();

    // Act
    await user.click(await screen.findByRole('button', { name: 'Borrow e-book' }));
    await user.click(await screen.findByRole('button', { name: 'Place a hold' }));

    // Assess
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('You are number 2 in line for this book.'));
  });
});
