import { describe, expect, it } from 'vitest';
import { parseInteractionsCsv, sequencesByUser } from '../src/data/interactions';
import { evaluationCases, isHeldOut } from '../src/evaluation/protocol';
import { encodeSequences } from '../src/policy/sequences';

const csv = [
  'user_id,book_id,rating',
  'ann,a,5',
  'bob,a,4',
  'ann,b,3',
  'ann,c,4',
  'ann,d,2',
  'bob,z,5',
  'cid,a,3',
  'cid,b,4',
  'cid,a,5',
].join('\n');

describe('evaluationCases', () => {
  it('takes the last interaction rated ≥ 4 as the target and the ones before it as the input', () => {
    // Prepare
    const index = new Map(['a', 'b', 'c', 'd'].map((id, i) => [id, i]));
    const sequences = encodeSequences(parseInteractionsCsv(csv), index);

    // Act
    const { cases, skipped } = evaluationCases(sequences);

    // Assess: ann → target c after [a, b]; bob's target z is not in the catalogue, leaving only a (no input);
    // cid's last ≥ 4 is a, already in the input.
    expect(cases).toHaveLength(1);
    expect(cases[0]!.userId).toBe('ann');
    expect(Array.from(cases[0]!.items)).toEqual([0, 1]);
    expect(Array.from(cases[0]!.ratings)).toEqual([5, 3]);
    expect(cases[0]!.target).toBe(2);
    expect(skipped).toBe(2);
  });
});

describe('parseInteractionsCsv', () => {
  it('reads the goodbooks layout and an optional event column, keeping time order per reader', () => {
    // Act
    const rows = parseInteractionsCsv('user_id,book_id,rating,event\n1,10,0,borrow\n1,11,4,finish\n2,10,1,rate\n');

    // Assess
    expect(rows[1]).toEqual({ userId: '1', itemId: '11', event: 'finish', rating: 4 });
    expect([...sequencesByUser(rows).get('1')!].map((row) => row.itemId)).toEqual(['10', '11']);
  });

  it('names the row and field of an invalid value', () => {
    // Assess
    expect(() => parseInteractionsCsv('user_id,book_id,rating\n1,10,9\n')).toThrow(/row 2 is invalid: rating/);
  });
});

describe('isHeldOut', () => {
  it('splits readers deterministically, close to the fraction asked for', () => {
    // Prepare
    const ids = Array.from({ length: 5000 }, (_, i) => `reader-${i}`);

    // Act
    const held = ids.filter((id) => isHeldOut(id, 0.2));

    // Assess
    expect(held.length / ids.length).toBeGreaterThan(0.18);
    expect(held.length / ids.length).toBeLessThan(0.22);
    expect(ids.filter((id) => isHeldOut(id, 0.2))).toEqual(held);
    expect(ids.filter((id) => isHeldOut(id, 0.2, 1))).not.toEqual(held);
  });
});
