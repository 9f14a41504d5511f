import type { Locale } from '../../../lib/i18n';

/** A run's time, to the minute, in the reader's language. */
export function formatDateTime(value: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}
