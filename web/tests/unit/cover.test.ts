import { describe, expect, it } from 'vitest';

import { coverPlaceholder, hueOf, initialsOf } from '../../src/utils/cover';

describe('initialsOf', () => {
  it.each([
    ['The Lord of the Rings', 'LR'],
    ['Dune', 'D'],
    ['To Kill a Mockingbird', 'KM'],
    ['le petit prince', 'PP'],
    ['The The', 'TT'],
    ['1984', '1'],
    ['Đất rừng phương Nam', 'ĐR'],
    ['!!!', '?'],
  ])('takes "%s" to %s', (title, initials) => {
    expect(initialsOf(title)).toBe(initials);
  });
});

describe('hueOf', () => {
  it('gives the same hue for the same id, on the colour wheel', () => {
    // Act
    const hues = ['1', '2', '10000', 'abc'].map(hueOf);

    // Assess
    expect(hues).toEqual(['1', '2', '10000', 'abc'].map(hueOf));
    for (const hue of hues) {
      expect(hue).toBeGreaterThanOrEqual(0);
      expect(hue).toBeLessThan(360);
    }
  });

  it('spreads neighbouring ids over the whole wheel, not over two colours', () => {
    // Act
    const hues = Array.from({ length: 20 }, (_, index) => hueOf(String(index + 1)));

    // Assess: ids 1–20 reach at least five of the six 60° sectors
    const sectors = new Set(hues.map((hue) => Math.floor(hue / 60)));
    expect(sectors.size).toBeGreaterThanOrEqual(5);
  });
});

describe('coverPlaceholder', () => {
  it('combines the initials of the title and the hue of the id', () => {
    expect(coverPlaceholder({ id: '42', title: 'Brave New World' })).toEqual({ initials: 'BN', hue: hueOf('42') });
  });
});
