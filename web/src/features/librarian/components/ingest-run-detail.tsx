import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { useApiClient } from '../../../lib/api-client-context';
import { formatNumber, useLocale, useMessages } from '../../../lib/i18n';
import { ingestRunQueryOptions, type IngestRunView } from '../api/ingest-runs';
import { librarianMessages } from '../messages';
import { isRefusal } from '../utils/refusal';
import { formatDateTime } from '../utils/format';

/** One ingest run: its source, status and counts, and its report (quarantine, error, rejected rows, warnings). */
export function IngestRunDetail({ runId }: { runId: string }) {
  const text = useMessages(librarianMessages).run;
  const api = useApiClient();
  const run = useQuery(ingestRunQueryOptions(api, runId));
  return (
    <>
      <title>{text.title(runId)}</title>
      <p className="back-link">
        <Link to={paths.librarian.getHref()}>← {text.back}</Link>
      </p>
      <h1>{text.heading(runId)}</h1>
      {run.isPending ? (
        <Loading label={text.loading} />
      ) : run.isError ? (
        <ErrorNotice
          title={text.failed}
          error={run.error}
          {...(isRefusal(run.error) ? {} : { onRetry: () => void run.refetch() })}
        />
      ) : (
        <RunReport run={run.data} />
      )}
    </>
  );
}

function RunReport({ run }: { run: IngestRunView }) {
  const all = useMessages(librarianMessages);
  const text = all.run;
  const { locale } = useLocale();
  const { report, counts } = run;
  const rejected = report.rejected ?? [];
  const warnings = report.warnings ?? [];
  const number = (value: number) => formatNumber(value, locale);
  return (
    <>
      <dl className="facts run-facts">
        <div>
          <dt>{text.status}</dt>
          <dd>
            <span className={`run-status run-status--${run.status}`}>{all.status[run.status]}</span>
          </dd>
        </div>
        <div>
          <dt>{text.library}</dt>
          <dd>{run.library}</dd>
        </div>
        <div>
          <dt>{text.source}</dt>
          <dd className="run-facts__key">{run.sourceKey}</dd>
        </div>
        <div>
          <dt>{text.started}</dt>
          <dd>{formatDateTime(run.startedAt, locale)}</dd>
        </div>
        {run.durationMs !== null && (
          <div>
            <dt>{text.duration}</dt>
            <dd>
              {text.seconds(new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(run.durationMs / 1000))}
            </dd>
          </div>
        )}
        {report.format && (
          <div>
            <dt>{text.format}</dt>
            <dd>{report.format}</dd>
          </div>
        )}
        {report.files && (
          <div>
            <dt>{text.covers}</dt>
            <dd>{number(report.files.covers)}</dd>
          </div>
        )}
      </dl>

      <h2 className="book-details__subheading">{text.counts}</h2>
      <dl className="facts">
        <div>
          <dt>{all.columns.added}</dt>
          <dd>{number(counts.added)}</dd>
        </div>
        <div>
          <dt>{all.columns.updated}</dt>
          <dd>{number(counts.updated)}</dd>
        </div>
        <div>
          <dt>{text.unchanged}</dt>
          <dd>{number(counts.unchanged)}</dd>
        </div>
        <div>
          <dt>{all.columns.withdrawn}</dt>
          <dd>{number(counts.withdrawn)}</dd>
        </div>
        <div>
          <dt>{all.columns.rejected}</dt>
          <dd>{number(counts.rejected)}</dd>
        </div>
      </dl>

      {report.error && (
        <div className="notice notice--error run-error">
          <h2 className="notice__title">{text.error}</h2>
          <p className="notice__detail">{report.error}</p>
        </div>
      )}

      {report.quarantine && (
        <section className="section">
          <h2>{text.quarantine}</h2>
          <p>{text.quarantineIntro}</p>
          <dl className="facts">
            <div>
              <dt>{text.quarantinedFile}</dt>
              <dd className="run-facts__key">{report.quarantine.key}</dd>
            </div>
            <div>
              <dt>{text.quarantineReport}</dt>
              <dd className="run-facts__key">{report.quarantine.reportKey}</dd>
            </div>
          </dl>
        </section>
      )}

      {rejected.length > 0 && (
        <ReportTable
          heading={text.rejectedHeading(number(rejected.length))}
          rows={rejected.map(({ at, reason }) => [at, reason])}
        />
      )}
      {warnings.length > 0 && (
        <ReportTable
          heading={text.warningsHeading(number(warnings.length))}
          rows={warnings.map(({ at, message }) => [at, message])}
        />
      )}
      {!report.quarantine && !report.error && rejected.length === 0 && <p>{text.clean}</p>}
    </>
  );
}

function ReportTable({ heading, rows }: { heading: string; rows: readonly (readonly [string, string])[] }) {
  const text = useMessages(librarianMessages).run;
  return (
    <section className="section">
      <h2>{heading}</h2>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{text.at}</th>
              <th scope="col">{text.reason}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([at, reason], index) => (
              <tr key={`${index}-${at}`}>
                <td className="run-facts__key">{at}</td>
                <td>{reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
