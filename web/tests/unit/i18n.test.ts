import { describe, expect, it } from 'vitest';

import { appMessages } from '../../src/app/messages';
import { sharedMessages } from '../../src/components/messages';
import { catalogueMessages } from '../../src/features/catalogue/messages';
import { chatMessages } from '../../src/features/chat/messages';
import { messages as recommendationMessages } from '../../src/features/recommendations/messages';
import { formatNumber, initialLocale } from '../../src/lib/i18n';

const storage = (value: string | null) => ({ getItem: () => value });

/** Every leaf of a messages object, as "path: value" (functions called with sample arguments). */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String((value as (...args: unknown[]) => unknown)('X', 2, 'Y'))]];
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, `${path}[${index}]`));
  return Object.entries(value as object).flatMap(([key, item]) => leaves(item, path ? `${path}.${key}` : key));
}

describe('initialLocale', () => {
  it('prefers the stored choice, then the browser languages, then English', () => {
    expect(initialLocale(storage('vi'), ['en-GB'])).toBe('vi');
    expect(initialLocale(storage(null), ['fr-FR', 'vi-VN'])).toBe('vi');
    expect(initialLocale(storage('klingon'), ['fr'])).toBe('en');
  });
});

describe('formatNumber', () => {
  it('groups digits the way each language does', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'vi')).toBe('12.345');
  });
});

describe.each([
  ['app', appMessages],
  ['shared', sharedMessages],
  ['catalogue', catalogueMessages],
  ['chat', chatMessages],
  ['recommendations', recommendationMessages],
])('%s messages', (_name, messages) => {
  it('has a Vietnamese text for every English one, and none left in English', () => {
    // Prepare
    const english = leaves(messages.en);
    const vietnamese = new Map(leaves(messages.vi));

    // Assess: same keys; texts of more than one word differ (names such as "Shelfwise" may stay).
    expect([...vietnamese.keys()]).toEqual(english.map(([path]) => path));
    const untranslated = english.filter(([path, text]) => text.includes(' ') && vietnamese.get(path) === text);
    expect(untranslated).toEqual([]);
  });
});
