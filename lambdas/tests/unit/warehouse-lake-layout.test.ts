import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { RecommendationList } from '../../src/recommendations/domain/recommendation';
import { ValidationError } from '../../src/shared/errors';
import { S3ServedRecommendationsArchive } from '../../src/warehouse/adapters/s3-served-recommendations-archive';
import { servedRows } from '../../src/warehouse/domain/served-recommendations';
import { deletionLogKey } from '../../src/identity/adapters/s3-deletion-log';
import { groupByPartition, partitionOf, rawObjectKey, rawTables, toNdjson } from '../../src/warehouse/lake-layout';
import { namedQueries, readSql, renderSql } from '../../src/warehouse/queries';

const list = (id: string, generatedAt: string): RecommendationList => ({
  readerId: 'anon-1',
  recommendationId: id,
  modelVersion: 'fallback',
  strategy: 'popular',
  generatedAt,
  items: [
    { bookId: '11', score: 2, reason: { kind: 'popular' } },
    { bookId: '12', score: 1, reason: { kind: 'popular' } },
  ],
});

describe('lake layout', () => {
  it('partitions by UTC day and hour, whatever the offset the time was written with', () => {
    expect(partitionOf(new Date('2026-03-08T23:30:00-01:00'))).toEqual({ dt: '2026-03-09', hour: '00' });
  });

  it('names raw objects as Firehose with dynamic partitioning would', () => {
    const key = rawObjectKey('events', new Date('2026-03-02T09:05:07.123Z'), 'abc');

    expect(key).toBe('raw/events/dt=2026-03-02/hour=09/20260302T090507Z-abc.json');
  });

  it('groups items per hour partition, in order', () => {
    const times = ['2026-03-02T09:59:59Z', '2026-03-02T10:00:00Z', '2026-03-02T09:00:00Z'];

    const groups = groupByPartition(times, (at) => new Date(at));

    expect(groups.map((g) => [g.partition.hour, g.items])).toEqual([
      ['09', [times[0], times[2]]],
      ['10', [times[1]]],
    ]);
  });

  it('writes newline-delimited JSON', () => {
    expect(toNdjson([{ a: 1 }, { b: 'x' }])).toBe('{"a":1}\n{"b":"x"}\n');
  });
});

describe('the deletion log in the lake', () => {
  it('is read at the keys the reader-data API writes: deletions/dt=<day>/<file>.json', () => {
    const { prefix, partitions } = rawTables.raw_deletions;

    const key = deletionLogKey(new Date('2026-03-02T09:05:07.123Z'), 'abc');

    expect(key).toBe(
      `${prefix}/${partitions.map((column) => `${column}=2026-03-02`).join('/')}/20260302T090507Z-abc.json`,
    );
  });

  it('is applied by the same SQL text in interactions and recommendations_served', async () => {
    const block = (sql: string) => /-- deletion log: begin[^\n]*\n([\s\S]*)-- deletion log: end/.exec(sql)?.[1];

    const interactions = block(await readSql('interactions'));
    const served = block(await readSql('recommendations_served'));

    expect(interactions).toContain('FROM raw_deletions');
    expect(served).toBe(interactions);
  });
});

describe('served recommendations', () => {
  it('become one row per listed book with its 0-based position', () => {
    expect(servedRows(list('rec-1', '2026-03-02T09:00:00.000Z'))).toEqual([
      {
        recommendationId: 'rec-1',
        readerId: 'anon-1',
        modelVersion: 'fallback',
        strategy: 'popular',
        position: 0,
        bookId: '11',
        generatedAt: '2026-03-02T09:00:00.000Z',
      },
      expect.objectContaining({ position: 1, bookId: '12' }),
    ]);
  });

  it('are archived as one object per hour partition', async () => {
    const sent: PutObjectCommand[] = [];
    const client = { send: async (command: PutObjectCommand) => sent.push(command) } as unknown as S3Client;
    const archive = new S3ServedRecommendationsArchive(client, 'lake', () => 'id');

    await archive.archive([
      list('rec-1', '2026-03-02T09:00:00Z'),
      list('rec-2', '2026-03-02T09:30:00Z'),
      list('rec-3', '2026-03-02T10:00:00Z'),
    ]);

    expect(sent.map((command) => [command.input.Key, String(command.input.Body).split('\n').length - 1])).toEqual([
      ['raw/recommendations/dt=2026-03-02/hour=09/20260302T090000Z-id.json', 4],
      ['raw/recommendations/dt=2026-03-02/hour=10/20260302T100000Z-id.json', 2],
    ]);
  });
});

describe('warehouse SQL parameters', () => {
  const parameters = namedQueries['ab-compare'].parameters;

  it('fills placeholders with quoted literals', () => {
    const sql = renderSql('WHERE a = {{model_a}} AND b = {{model_b}}', parameters, { model_a: "o'k", model_b: 'v2' });

    expect(sql).toBe("WHERE a = 'o''k' AND b = 'v2'");
  });

  it('uses defaults and refuses missing, unknown or malformed values', () => {
    const retention = namedQueries.retention.parameters;

    expect(renderSql("INTERVAL '{{retention_days}}' DAY", retention)).toBe("INTERVAL '7' DAY");
    expect(() => renderSql('{{model_a}}', parameters)).toThrow(ValidationError);
    expect(() => renderSql('x', retention, { other: 1 })).toThrow(/Unknown parameter/);
    expect(() => renderSql('{{retention_days}}', retention, { retention_days: '7; DROP' })).toThrow(ValidationError);
  });
});
