// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { ForYou } from '../../src/features/recommendations/components/for-you';
import { book, served, servedList } from '../support/recommendation-fixtures';
import { TEST_READER_ID, fakeApi, renderWithApp } from '../support/render-app';

const dune = book('7', 'Dune', ['Frank Herbert']);
const emma = book('8', 'Emma', ['Jane Austen']);
const solaris = book('9', 'Solaris', ['Stanisław Lem']);

const listPath = `/api/readers/${TEST_READER_ID}/recommendations`;
const longAgo = new Date(Date.now() - 60_000).toISOString();

const popularList = servedList('rec-popular', longAgo, [
  served(0, dune, { kind: 'popular' }),
  served(1, emma, { kind: 'popular' }),
]);

describe('ForYou', () => {
  afterEach(cleanup);

  it("shows the reader's list with the reason of each book and sends one impression per book, once", async () => {
    // Prepare
    const api = fakeApi({
      [listPath]: () =>
        servedList(
          'rec-1',
          longAgo,
          [
            served(0, solaris, { kind: 'policy', becauseBookId: '7', because: { id: '7', title: 'Dune' } }),
            served(1, emma, { kind: 'similar', becauseBookId: '7', because: { id: '7', title: 'Dune' } }),
            served(2, dune, { kind: 'popular' }),
          ],
          'policy',
        ),
    });

    // Act
    renderWithApp(<ForYou />, { fetch: api.fetch });

    // Assess
    const list = await screen.findByRole('list', { name: 'For you' });
    const cards = within(list).getAllByRole('article');
    expect(cards.map((card) => within(card).getByRole('heading').textContent)).toEqual(['Solaris', 'Emma', 'Dune']);
    expect(within(cards[0]!).getByText('Because you read Dune')).toBeTruthy();
    expect(within(cards[1]!).getByText('Like Dune')).toBeTruthy();
    expect(within(cards[2]!).getByText('Popular in the library')).toBeTruthy();
    await waitFor(() => expect(api.events).toHaveLength(3));
    expect(api.events.map(({ type, ...event }) => ({ type, ...event }))).toMatchObject([
      { type: 'impression', bookId: '9', recommendationId: 'rec-1', position: 0, modelVersion: 'v7' },
      { type: 'impression', bookId: '8', recommendationId: 'rec-1', position: 1, modelVersion: 'v7' },
      { type: 'impression', bookId: '7', recommendationId: 'rec-1', position: 2, modelVersion: 'v7' },
    ]);
    expect(api.events.every((event) => event.readerId === TEST_READER_ID)).toBe(true);
  });

  it('sends a click with the list and position when a book is opened', async () => {
    // Prepare
    const api = fakeApi({ [listPath]: () => popularList });
    const { router } = renderWithApp(<ForYou />, { fetch: api.fetch });
    const user = userEvent.setup();

    // Act
    await user.click(await screen.findByRole('link', { name: 'Emma' }));

    // Assess
    expect(router.state.location.pathname).toBe('/books/8');
    await waitFor(() => expect(api.events.filter((event) => event.type === 'click')).toHaveLength(1));
    expect(api.events.find((event) => event.type === 'click')).toMatchObject({
      bookId: '8',
      recommendationId: 'rec-popular',
      position: 1,
      modelVersion: 'fallback',
    });
  });

  it('refreshes the list after the reader acts, polling until a list newer than the action arrives', async () => {
    // Prepare: the recommender is slow; the first two reads after the action still give the old list
    let readsAfterAction = 0;
    let acted = false;
    const api = fakeApi({
      [listPath]: () => {
        if (!acted) return popularList;
        readsAfterAction += 1;
        return readsAfterAction < 3
          ? popularList
          : servedList(
              'rec-fresh',
              new Date().toISOString(),
              [served(0, solaris, { kind: 'similar', becauseBookId: '8', because: { id: '8', title: 'Emma' } })],
              'similar',
            );
      },
    });
    const { events } = renderWithApp(<ForYou />, { fetch: api.fetch });
    await screen.findByRole('link', { name: 'Dune' });

    // Act: an action elsewhere on the page (the events client tells the list once it is sent)
    acted = true;
    act(() => events.track({ type: 'open', bookId: '8' }));

    // Assess: the fresh list replaces the old one, without a remount
    await screen.findByRole('link', { name: 'Solaris' }, { timeout: 3_000 });
    expect(screen.queryByRole('link', { name: 'Dune' })).toBeNull();
    expect(screen.getByText('Like Emma')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'For you' }).dataset.recommendationId).toBe('rec-fresh');
    expect(readsAfterAction).toBe(3);
  });

  it('explains a failure and offers to try again', async () => {
    // Prepare
    let fail = true;
    const api = fakeApi({
      [listPath]: () => {
        if (fail) throw new Error('boom');
        return popularList;
      },
    });
    renderWithApp(<ForYou />, { fetch: api.fetch });

    // Assess
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Your recommendations could not be loaded')).toBeTruthy();

    // Act
    fail = false;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));

    // Assess
    await screen.findByRole('link', { name: 'Dune' });
  });
});
