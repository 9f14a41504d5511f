import type { CtrRow } from '../api/insights';

/** One model version's click-through and conversion on one day, all positions together. */
export interface DailyRates {
  readonly model: string;
  readonly day: string;
  readonly impressions: number;
  readonly clicks: number;
  readonly conversions: number;
  readonly ctr: number;
  readonly conversionRate: number;
}

/** ctr-by-model's rows (per position) summed per model version and day, sorted by model then day. */
export function dailyRates(rows: readonly CtrRow[]): DailyRates[] {
  const sums = new Map<
    string,
    { model: string; day: string; impressions: number; clicks: number; conversions: number }
  >();
  for (const row of rows) {
    const key = `${row.model_version}\u0000${row.impression_day}`;
    const sum = sums.get(key) ?? {
      model: row.model_version,
      day: row.impression_day,
      impressions: 0,
      clicks: 0,
      conversions: 0,
    };
    sum.impressions += row.impressions;
    sum.clicks += row.clicks;
    sum.conversions += row.conversions;
    sums.set(key, sum);
  }
  return [...sums.values()]
    .map((sum) => ({
      ...sum,
      ctr: sum.impressions > 0 ? sum.clicks / sum.impressions : 0,
      conversionRate: sum.impressions > 0 ? sum.conversions / sum.impressions : 0,
    }))
    .sort((a, b) => a.model.localeCompare(b.model) || a.day.localeCompare(b.day));
}

/** The days of any series, in order (the charts' x axis). */
export function daysOf(rates: readonly DailyRates[]): string[] {
  return [...new Set(rates.map((rate) => rate.day))].sort();
}

/** The model versions, in order (one series each). */
export function modelsOf(rates: readonly DailyRates[]): string[] {
  return [...new Set(rates.map((rate) => rate.model))].sort();
}
