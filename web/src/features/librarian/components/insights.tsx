import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo } from 'react';

import { ErrorNotice, Loading } from '../../../components/query-status';
import { useApiClient } from '../../../lib/api-client-context';
import { formatNumber, useLocale, useMessages, type Locale } from '../../../lib/i18n';
import { coverageQueryOptions, ctrByModelQueryOptions, type CoverageRow } from '../api/insights';
import { librarianMessages } from '../messages';
import { dailyRates, type DailyRates } from '../utils/insights';
import { isRefusal } from '../utils/refusal';

/** The charts and Chart.js, loaded only when the insights have data (a chunk of their own). */
const InsightsCharts = lazy(() => import('./insights-charts'));

function percent(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/**
 * The warehouse's insights for librarians: click-through and conversion per model version by day, and catalogue
 * coverage per model version, as charts (each described for screen readers) with their numbers as tables.
 */
export function Insights() {
  const text = useMessages(librarianMessages).insights;
  const { locale } = useLocale();
  const api = useApiClient();
  const ctr = useQuery(ctrByModelQueryOptions(api));
  const coverage = useQuery(coverageQueryOptions(api));
  const headingId = useId();
  const failed = ctr.error ?? coverage.error;
  const rates = useMemo(() => dailyRates(ctr.data?.rows ?? []), [ctr.data]);

  return (
    <section className="section insights" aria-labelledby={headingId}>
      <h2 id={headingId}>{text.heading}</h2>
      <p className="muted">{text.intro}</p>
      {ctr.isPending || coverage.isPending ? (
        <Loading label={text.loading} />
      ) : failed ? (
        <ErrorNotice
          title={text.failed}
          error={failed}
          {...(isRefusal(failed) ? {} : { onRetry: () => void Promise.all([ctr.refetch(), coverage.refetch()]) })}
        />
      ) : ctr.data!.rows.length === 0 && coverage.data!.rows.length === 0 ? (
        <p>{text.none}</p>
      ) : (
        <InsightsBody rates={rates} coverage={coverage.data!.rows} locale={locale} />
      )}
    </section>
  );
}

function InsightsBody({ rates, coverage, locale }: { rates: DailyRates[]; coverage: CoverageRow[]; locale: Locale }) {
  const text = useMessages(librarianMessages).insights;
  const columns = text.columns;
  return (
    <>
      <Suspense fallback={<Loading label={text.chartLoading} />}>
        <InsightsCharts rates={rates} coverage={coverage} />
      </Suspense>
      <details className="insights__numbers">
        <summary>{text.showTable}</summary>
        <div className="table-scroll">
          <table className="data-table">
            <caption>{text.ctrHeading}</caption>
            <thead>
              <tr>
                <th scope="col">{columns.model}</th>
                <th scope="col">{columns.day}</th>
                <th scope="col" className="data-table__number">
                  {columns.impressions}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.clicks}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.ctr}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.conversions}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.conversionRate}
                </th>
              </tr>
            </thead>
            <tbody>
              {rates.map((rate) => (
                <tr key={`${rate.model} ${rate.day}`}>
                  <th scope="row">{rate.model}</th>
                  <td>{rate.day}</td>
                  <td className="data-table__number">{formatNumber(rate.impressions, locale)}</td>
                  <td className="data-table__number">{formatNumber(rate.clicks, locale)}</td>
                  <td className="data-table__number">{percent(rate.ctr, locale)}</td>
                  <td className="data-table__number">{formatNumber(rate.conversions, locale)}</td>
                  <td className="data-table__number">{percent(rate.conversionRate, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="table-scroll">
          <table className="data-table">
            <caption>{text.coverageHeading}</caption>
            <thead>
              <tr>
                <th scope="col">{columns.model}</th>
                <th scope="col" className="data-table__number">
                  {columns.catalogueBooks}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.recommendedBooks}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.coverage}
                </th>
                <th scope="col" className="data-table__number">
                  {columns.gini}
                </th>
              </tr>
            </thead>
            <tbody>
              {coverage.map((row) => (
                <tr key={row.model_version}>
                  <th scope="row">{row.model_version}</th>
                  <td className="data-table__number">{formatNumber(row.catalogue_books, locale)}</td>
                  <td className="data-table__number">{formatNumber(row.recommended_books, locale)}</td>
                  <td className="data-table__number">{percent(row.coverage, locale)}</td>
                  <td className="data-table__number">
                    {row.gini === null ? '–' : formatNumber(Number(row.gini.toFixed(2)), locale)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
