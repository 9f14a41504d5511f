// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BookReader } from '../../src/features/reader/components/book-reader';
import { sessionStore } from '../../src/lib/session';
import { READER_SUB, readerToken, recordingFetch } from '../support/fake-token';
import { renderWithApp } from '../support/render-app';

const loan = {
  id: '7',
  bookId: '42',
  readerId: READER_SUB,
  borrowedAt: '2026-12-01T10:00:00.000Z',
  dueAt: '2026-12-15T10:00:00.000Z',
  returnedAt: null,
  endReason: null,
};
const book = {
  id: '42',
  title: 'A Study in Scarlet',
  authors: ['Arthur Conan Doyle'],
  year: 1887,
  languages: ['eng'],
  subjects: ['Detective'],
  description: null,
};

function api(file: () => Response) {
  return recordingFetch((key) => {
    if (key === `GET /api/readers/${READER_SUB}/loans`) return Response.json({ loans: [loan], holds: [] });
    if (key === `GET /api/readers/${READER_SUB}/loans/7/file`) return file();
    if (key === `GET /api/readers/${READER_SUB}/loans/7/progress`) return Response.json({ progress: null });
    if (key === 'GET /api/books/42') return Response.json(book);
    return undefined;
  });
}

describe('BookReader', () => {
  beforeEach(() =>
    sessionStore.set({
      accessToken: readerToken(),
      sub: READER_SUB,
      username: 'reader@shelfwise.local',
      groups: [],
      expiresAt: Date.now() + 3_600_000,
    }),
  );
  afterEach(() => {
    cleanup();
    sessionStore.set(null);
  });

  it("shows a PDF in the browser's own viewer, through the signed URL", async () => {
    // Prepare
    const url = 'https://books.example.net/files/abc.pdf?Signature=x';
    const fake = api(() => Response.json({ url, expiresAt: loan.dueAt, format: 'PDF', sizeBytes: 1000 }));

    // Act
    renderWithApp(<BookReader loanId="7" />, { fetch: fake.fetch, path: '/read/7' });

    // Assess
    await screen.findByRole('heading', { level: 1, name: 'Reading: A Study in Scarlet' });
    const frame = screen.getByTitle('The text of A Study in Scarlet');
    expect(frame.getAttribute('src')).toBe(url);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Reading: A Study in Scarlet');
    expect(screen.getByRole('link', { name: /Back to the book/ }).getAttribute('href')).toBe('/books/42');
  });

  it('says the loan has ended when the API refuses its file', async () => {
    // Prepare
    const fake = api(() => Response.json({ message: 'This loan has ended; borrow the book again' }, { status: 403 }));

    // Act
    renderWithApp(<BookReader loanId="7" />, { fetch: fake.fetch, path: '/read/7' });

    // Assess
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This loan has ended. Borrow the book again to keep reading.',
    );
  });

  it('asks an anonymous reader to sign in', () => {
    // Prepare
    sessionStore.set(null);

    // Act
    renderWithApp(<BookReader loanId="7" />, { fetch: api(() => new Response()).fetch, path: '/read/7' });

    // Assess
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/sign-in');
  });
});
