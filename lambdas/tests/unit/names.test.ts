import { describe, expect, it } from 'vitest';
import { matchKey, titleSort } from '../../src/catalogue/domain/names';

describe('matchKey', () => {
  it('matches names however they are spaced, accented or punctuated', () => {
    expect(matchKey('J.K. Rowling')).toBe(matchKey('J. K.  Rowling'));
    expect(matchKey('Nguyễn Đình Chiểu')).toBe('nguyen dinh chieu');
    expect(matchKey('Émile Zola')).toBe('emile zola');
  });
});

describe('titleSort', () => {
  it('moves a leading article to the end', () => {
    expect(titleSort('The Time Machine')).toBe('Time Machine, The');
    expect(titleSort('Les Misérables')).toBe('Misérables, Les');
    expect(titleSort("L'Étranger")).toBe("Étranger, L'");
  });

  it('leaves titles without an article, or that are only an article, alone', () => {
    expect(titleSort('Emma')).toBe('Emma');
    expect(titleSort('Theory of Colours')).toBe('Theory of Colours');
    expect(titleSort('The')).toBe('The');
  });
});
