import { describe, expect, it } from 'vitest';
import { coverUrlOf } from '../../src/catalogue/domain/cover-url';

describe('coverUrlOf', () => {
  it('puts the cover key under the base URL, with one slash between', () => {
    // Act
    const urls = [
      coverUrlOf('covers/abc.jpg', 'https://d1.cloudfront.net'),
      coverUrlOf('covers/abc.jpg', 'http://127.0.0.1:4000/local-files/'),
    ];

    // Assess
    expect(urls).toEqual([
      'https://d1.cloudfront.net/covers/abc.jpg',
      'http://127.0.0.1:4000/local-files/covers/abc.jpg',
    ]);
  });

  it('gives null without a cover or without a place that serves covers', () => {
    // Act / Assess
    expect(coverUrlOf(null, 'https://d1.cloudfront.net')).toBeNull();
    expect(coverUrlOf('covers/abc.jpg', undefined)).toBeNull();
  });
});
