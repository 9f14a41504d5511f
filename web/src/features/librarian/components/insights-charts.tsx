import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';

import { useLocale, useMessages, type Locale } from '../../../lib/i18n';
import type { CoverageRow } from '../api/insights';
import { librarianMessages } from '../messages';
import { daysOf, modelsOf, type DailyRates } from '../utils/insights';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/** One colour per model version, distinguishable in both themes; lines also differ by dash and point shape. */
const palette = ['#1f77b4', '#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#a6761d', '#666666'];
const dashes = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
const points = ['circle', 'rect', 'triangle', 'rectRot'] as const;

function percentFormat(locale: Locale) {
  const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return (value: number | string) => format.format(Number(value));
}

/** A Chart.js chart on a canvas, drawn (again) when its configuration changes; the canvas is described for AT. */
function CanvasChart({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return undefined;
    const color = getComputedStyle(canvas.current!).color;
    Chart.defaults.color = color;
    const chart = new Chart(context, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="insights__chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

/** One line per model version over the days, of one rate. */
function lineConfig(rates: DailyRates[], value: (rate: DailyRates) => number, locale: Locale): ChartConfiguration {
  const days = daysOf(rates);
  const percent = percentFormat(locale);
  return {
    type: 'line',
    data: {
      labels: days,
      datasets: modelsOf(rates).map((model, i) => ({
        label: model,
        data: days.map((day) => {
          const rate = rates.find((candidate) => candidate.model === model && candidate.day === day);
          return rate ? value(rate) : null;
        }),
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
        borderDash: dashes[i % dashes.length],
        pointStyle: points[i % points.length],
        pointRadius: 4,
        spanGaps: true,
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { callback: percent } } },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${percent(item.parsed.y ?? 0)}` } },
      },
    },
  };
}

/** One bar per model version: the share of the catalogue it recommended. */
function barConfig(coverage: CoverageRow[], label: string, locale: Locale): ChartConfiguration {
  const percent = percentFormat(locale);
  return {
    type: 'bar',
    data: {
      labels: coverage.map((row) => row.model_version),
      datasets: [
        {
          label,
          data: coverage.map((row) => row.coverage),
          backgroundColor: coverage.map((_, i) => palette[i % palette.length]!),
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { callback: percent } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => percent(item.parsed.y ?? 0) } },
      },
    },
  };
}

/** Click-through and conversion per model version by day (lines), and coverage per model version (bars). */
export default function InsightsCharts({ rates, coverage }: { rates: DailyRates[]; coverage: CoverageRow[] }) {
  const text = useMessages(librarianMessages).insights;
  const { locale } = useLocale();
  const ctr = useMemo(() => lineConfig(rates, (rate) => rate.ctr, locale), [rates, locale]);
  const conversion = useMemo(() => lineConfig(rates, (rate) => rate.conversionRate, locale), [rates, locale]);
  const bars = useMemo(() => barConfig(coverage, text.columns.coverage, locale), [coverage, text, locale]);
  const models = String(modelsOf(rates).length);
  const days = String(daysOf(rates).length);
  return (
    <div className="insights__charts">
      <figure className="insights__figure">
        <figcaption>{text.ctrHeading}</figcaption>
        <CanvasChart config={ctr} label={text.ctrSummary(models, days)} />
      </figure>
      <figure className="insights__figure">
        <figcaption>{text.conversionHeading}</figcaption>
        <CanvasChart config={conversion} label={text.conversionSummary(models, days)} />
      </figure>
      <figure className="insights__figure">
        <figcaption>{text.coverageHeading}</figcaption>
        <CanvasChart config={bars} label={text.coverageSummary(String(coverage.length))} />
      </figure>
    </div>
  );
}
