// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import type { IngestRun } from '@shelfwise/lambdas/catalogue/ports';

import { LibrarianPage } from '../../src/app/pages/librarian-page';
import { recordingFetch } from '../support/fake-token';
import { renderWithApp } from '../support/render-app';

function run(overrides: Partial<IngestRun> = {}): IngestRun {
  return {
    id: '2',
    library: 'demo',
    sourceKey: 'uploads/demo/metadata.db',
    status: 'succeeded',
    startedAt: '2026-12-05T09:00:00.000Z',
    finishedAt: '2026-12-05T09:00:04.000Z',
    durationMs: 4200,
    counts: { added: 120, updated: 3, unchanged: 0, withdrawn: 1, rejected: 2 },
    report: { format: 'calibre', rejected: [{ at: 'books.id=17', reason: 'no title' }] },
    ...overrides,
  };
}

const quarantined = run({
  id: '1',
  status: 'quarantined',
  counts: { added: 0, updated: 0, unchanged: 0, withdrawn: 0, rejected: 0 },
  report: {
    error: 'The file is not an SQLite database',
    quarantine: { key: 'quarantine/demo/broken.db', reportKey: 'quarantine/demo/broken.db.report.json' },
  },
});

function renderLibrarian(path: string, answer = (key: string) => defaultAnswer(key)) {
  const api = recordingFetch(answer);
  const routePath = path.startsWith('/librarian/ingest-runs/') ? '/librarian/ingest-runs/:runId' : '/librarian';
  const view = renderWithApp(<LibrarianPage />, { fetch: api.fetch, path, routePath });
  return { ...view, requests: api.requests };
}

function defaultAnswer(key: string): Response | undefined {
  if (key === 'GET /api/librarian/ingest-runs') return Response.json({ items: [run(), quarantined], nextBefore: null });
  if (key === 'GET /api/librarian/ingest-runs/1') return Response.json(quarantined);
  if (key === 'GET /api/librarian/ingest-runs/2') return Response.json(run());
  return undefined;
}

describe('LibrarianPage', () => {
  afterEach(cleanup);

  it('lists the ingest runs with their status and counts, each linking to its report', async () => {
    // Prepare
    renderLibrarian('/librarian');
    const user = userEvent.setup();

    // Act
    const table = await screen.findByRole('table', { name: 'Ingest runs' });

    // Assess
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('Succeeded');
    expect(rows[1]!.textContent).toContain('120');
    expect(rows[2]!.textContent).toContain('Quarantined');

    // Act
    await user.click(within(table).getByRole('link', { name: 'Run 1' }));

    // Assess
    expect(await screen.findByText('At /librarian/ingest-runs/1')).toBeTruthy();
  });

  it('shows a quarantined run’s error and where its file and report are', async () => {
    // Act
    renderLibrarian('/librarian/ingest-runs/1');

    // Assess
    await screen.findByRole('heading', { level: 1, name: 'Ingest run 1' });
    expect(await screen.findByText('The file is not an SQLite database')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Quarantine' })).toBeTruthy();
    expect(screen.getByText('quarantine/demo/broken.db.report.json')).toBeTruthy();
  });

  it('shows a run’s rejected rows', async () => {
    // Act
    renderLibrarian('/librarian/ingest-runs/2');

    // Assess
    expect(await screen.findByRole('heading', { name: 'Rejected rows (1)' })).toBeTruthy();
    expect(screen.getByText('no title')).toBeTruthy();
  });

  it('shows the API’s refusal to a reader who is not a librarian', async () => {
    // Act
    renderLibrarian('/librarian', () => Response.json({ message: 'This needs the librarians group' }, { status: 403 }));

    // Assess: the ingest runs and the insights both say so
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    for (const alert of screen.getAllByRole('alert')) {
      expect(alert.textContent).toContain('This needs the librarians group');
    }
  });

  it('charts click-through, conversion and coverage per model version, with the numbers as tables', async () => {
    // Prepare
    renderLibrarian('/librarian', (key) => insightsAnswer(key) ?? defaultAnswer(key));
    const user = userEvent.setup();

    // Act
    const section = await screen.findByRole('region', { name: 'Insights' });
    const charts = await within(section).findAllByRole('img');

    // Assess
    expect(charts.map((chart) => chart.getAttribute('aria-label'))).toEqual([
      'Click-through rate of 2 model versions over 2 days',
      'Conversion rate of 2 model versions over 2 days',
      'Share of the catalogue recommended by 2 model versions',
    ]);
    expect(within(section).getByText('Click-through by day', { selector: 'figcaption' })).toBeTruthy();

    // Act
    await user.click(within(section).getByText('Show the numbers'));

    // Assess: positions summed per model version and day
    const daily = within(section).getByRole('table', { name: 'Click-through by day' });
    expect(
      within(daily)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'Model versionDayImpressionsClicksClick-throughBorrowsConversion',
      'v12026-03-022150%150%',
      'v22026-03-023266.7%00%',
      'v22026-03-032150%150%',
    ]);
    const coverage = within(section).getByRole('table', { name: 'Catalogue coverage by model version' });
    expect(within(coverage).getAllByRole('row')[2]!.textContent).toBe('v210440%0.66');
  });

  it('says when the warehouse has measured nothing yet', async () => {
    // Prepare
    const empty = (key: string) =>
      key.startsWith('GET /api/librarian/insights/')
        ? Response.json({ query: 'x', description: '', rows: [] })
        : undefined;

    // Act
    renderLibrarian('/librarian', (key) => empty(key) ?? defaultAnswer(key));

    // Assess
    expect(await screen.findByText(/No recommendations have been measured yet/)).toBeTruthy();
  });
});

function ctr(model: string, day: string, position: number, impressions: number, clicks: number, borrows: number) {
  return {
    model_version: model,
    impression_day: day,
    position,
    impressions,
    clicks,
    ctr: clicks / impressions,
    conversions: borrows,
    conversion_rate: borrows / impressions,
  };
}

function insightsAnswer(key: string): Response | undefined {
  if (key === 'GET /api/librarian/insights/ctr-by-model') {
    return Response.json({
      query: 'ctr-by-model',
      description: 'Click-through',
      parameters: {},
      rows: [
        ctr('v1', '2026-03-02', 0, 1, 1, 1),
        ctr('v1', '2026-03-02', 1, 1, 0, 0),
        ctr('v2', '2026-03-02', 0, 2, 1, 0),
        ctr('v2', '2026-03-02', 1, 1, 1, 0),
        ctr('v2', '2026-03-03', 0, 1, 1, 0),
        ctr('v2', '2026-03-03', 1, 1, 0, 1),
      ],
    });
  }
  if (key === 'GET /api/librarian/insights/coverage') {
    return Response.json({
      query: 'coverage',
      description: 'Coverage',
      parameters: {},
      rows: [
        {
          model_version: 'v1',
          catalogue_books: 10,
          recommended_books: 2,
          coverage: 0.2,
          recommendations: 2,
          gini: 0.8,
        },
        {
          model_version: 'v2',
          catalogue_books: 10,
          recommended_books: 4,
          coverage: 0.4,
          recommendations: 5,
          gini: 0.66,
        },
      ],
    });
  }
  return undefined;
}
