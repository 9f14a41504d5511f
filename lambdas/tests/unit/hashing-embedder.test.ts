import { describe, expect, it } from 'vitest';
import { bookText } from '../../src/shared/embedding/book-text';
import { dot } from '../../src/shared/embedding/embedder';
import { foldText, HashingEmbedder } from '../../src/shared/embedding/hashing-embedder';

function norm(vector: Float32Array): number {
  return Math.sqrt(dot(vector, vector));
}

describe('HashingEmbedder', () => {
  it('gives the same vector for the same text, across instances', async () => {
    // Prepare
    const text = 'A whale hunt across the oceans, told by Ishmael.';

    // Act
    const [first] = await new HashingEmbedder().embed([text]);
    const [second] = await new HashingEmbedder().embed([text]);

    // Assess
    expect(first).toEqual(second);
    expect(first).toHaveLength(384);
  });

  it('returns unit vectors of the configured dimension, and the zero vector for empty text', async () => {
    // Prepare
    const embedder = new HashingEmbedder({ dimension: 64 });

    // Act
    const vectors = await embedder.embed(['Pride and Prejudice', 'Un roman de Victor Hugo', '', '  ']);

    // Assess
    expect(vectors.map((v) => v.length)).toEqual([64, 64, 64, 64]);
    expect(norm(vectors[0]!)).toBeCloseTo(1, 5);
    expect(norm(vectors[1]!)).toBeCloseTo(1, 5);
    expect(norm(vectors[2]!)).toBe(0);
    expect(norm(vectors[3]!)).toBe(0);
  });

  it('puts texts on the same topic closer than unrelated texts', async () => {
    // Prepare
    const embedder = new HashingEmbedder();
    const [sea, seaAgain, kitchen] = await embedder.embed([
      'A sailor is shipwrecked on a desert island and survives alone for years at sea.',
      'Shipwrecked sailors survive on an island far out at sea.',
      'Recipes for bread, cakes and pastries from a French kitchen.',
    ]);

    // Act
    const related = dot(sea!, seaAgain!);
    const unrelated = dot(sea!, kitchen!);

    // Assess
    expect(related).toBeGreaterThan(unrelated + 0.2);
  });

  it('folds diacritics, so Vietnamese with and without accents match', async () => {
    // Prepare
    const embedder = new HashingEmbedder();

    // Act
    const [accented, plain, other] = await embedder.embed([
      'Truyện Kiều của Nguyễn Du: số phận người con gái tài sắc',
      'Truyen Kieu cua Nguyen Du: so phan nguoi con gai tai sac',
      'Tắt đèn của Ngô Tất Tố',
    ]);

    // Assess
    expect(foldText('Đoàn Thị Điểm, Ærø, Straße')).toBe('doan thi diem, aero, strasse');
    expect(dot(accented!, plain!)).toBeCloseTo(1, 5);
    expect(dot(accented!, other!)).toBeLessThan(0.5);
  });

  it('changes every vector with the seed', async () => {
    // Prepare
    const text = 'The same words';

    // Act
    const [seed0] = await new HashingEmbedder({ seed: 0 }).embed([text]);
    const [seed1] = await new HashingEmbedder({ seed: 1 }).embed([text]);

    // Assess
    expect(seed0).not.toEqual(seed1);
    expect(new HashingEmbedder({ seed: 1 }).modelId).not.toBe(new HashingEmbedder({ seed: 0 }).modelId);
  });
});

describe('bookText', () => {
  it('joins title, authors, subjects and description in that order', () => {
    // Act
    const text = bookText({
      title: '  Moby-Dick ',
      authors: ['Herman Melville'],
      subjects: ['Fiction', 'Sea stories'],
      description: 'Captain Ahab hunts\n the white whale!',
    });

    // Assess
    expect(text).toBe(
      'Moby-Dick. By Herman Melville. Subjects: Fiction, Sea stories. Captain Ahab hunts the white whale!',
    );
  });

  it('leaves out what is missing and cuts long descriptions at a word', () => {
    // Act
    const short = bookText({ title: 'Odes', authors: [], subjects: [], description: null });
    const long = bookText({ title: 'Long', authors: ['A'], subjects: [], description: 'word '.repeat(1000) });

    // Assess
    expect(short).toBe('Odes.');
    expect(long.length).toBeLessThanOrEqual('Long. By A. '.length + 2001);
    expect(long.endsWith('word.')).toBe(true);
  });
});
