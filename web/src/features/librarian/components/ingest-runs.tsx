import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useApiClient } from '../../../lib/api-client-context';
import { formatNumber, useLocale, useMessages } from '../../../lib/i18n';
import { ingestRunsQueryOptions } from '../api/ingest-runs';
import { librarianMessages } from '../messages';
import { isRefusal } from '../utils/refusal';
import { formatDateTime } from '../utils/format';

/** The ingest runs, newest first, a page at a time (`?before=<run id>` in the URL); each opens its report. */
export function IngestRuns() {
  const text = useMessages(librarianMessages);
  const { locale } = useLocale();
  const api = useApiClient();
  const [params] = useSearchParams();
  const before = params.get('before');
  const runs = useQuery(ingestRunsQueryOptions(api, before));
  const headingId = useId();

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.runsHeading}</h2>
      <p className="muted">{text.runsIntro}</p>
      {runs.isPending ? (
        <Loading label={text.loading} />
      ) : runs.isError ? (
        <ErrorNotice
          title={text.failed}
          error={runs.error}
          {...(isRefusal(runs.error) ? {} : { onRetry: () => void runs.refetch() })}
        />
      ) : runs.data.items.length === 0 ? (
        <p>{text.none}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table" aria-labelledby={headingId}>
              <thead>
                <tr>
                  <th scope="col">{text.columns.run}</th>
                  <th scope="col">{text.columns.library}</th>
                  <th scope="col">{text.columns.status}</th>
                  <th scope="col">{text.columns.started}</th>
                  <th scope="col" className="data-table__number">
                    {text.columns.added}
                  </th>
                  <th scope="col" className="data-table__number">
                    {text.columns.updated}
                  </th>
                  <th scope="col" className="data-table__number">
                    {text.columns.withdrawn}
                  </th>
                  <th scope="col" className="data-table__number">
                    {text.columns.rejected}
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.data.items.map((run) => (
                  <tr key={run.id}>
                    <th scope="row">
                      <Link to={paths.ingestRun.getHref(run.id)}>{text.runLink(run.id)}</Link>
                    </th>
                    <td>{run.library}</td>
                    <td>
                      <span className={`run-status run-status--${run.status}`}>{text.status[run.status]}</span>
                    </td>
                    <td>{formatDateTime(run.startedAt, locale)}</td>
                    <td className="data-table__number">{formatNumber(run.counts.added, locale)}</td>
                    <td className="data-table__number">{formatNumber(run.counts.updated, locale)}</td>
                    <td className="data-table__number">{formatNumber(run.counts.withdrawn, locale)}</td>
                    <td className="data-table__number">{formatNumber(run.counts.rejected, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="pager-links">
            {before && <Link to={paths.librarian.getHref()}>{text.newest}</Link>}
            {runs.data.nextBefore && (
              <Link to={`${paths.librarian.getHref()}?before=${encodeURIComponent(runs.data.nextBefore)}`}>
                {text.older}
              </Link>
            )}
          </p>
        </>
      )}
    </section>
  );
}
