import { describe, expect, it } from 'vitest';
import { trainingExportStatements } from '../../src/pipelines/training-exports';
import { athenaEtlStatements, athenaNamedQueries, parseAthenaEtlStatement } from '../../src/warehouse/athena-dialect';
import { etlSteps, namedQueries, readSql, renderSql, etlParameters } from '../../src/warehouse/queries';

describe('Athena statements of the pipelines', () => {
  it('clears then rebuilds each fact with the shared SELECT, and reads both back', async () => {
    // Act
    const statements = athenaEtlStatements();

    // Assess
    expect(statements.map((statement) => statement.fact)).toEqual(etlSteps.map((step) => step.fact));
    for (const statement of statements) {
      const select = renderSql(await readSql(statement.fact), etlParameters);
      expect(parseAthenaEtlStatement(statement.clear)).toEqual({ action: 'clear', fact: statement.fact });
      expect(parseAthenaEtlStatement(statement.build)).toEqual({
        action: 'build',
        fact: statement.fact,
        select: select.trim(),
      });
    }
    expect(parseAthenaEtlStatement('SELECT 1')).toBeNull();
    expect(parseAthenaEtlStatement('DELETE FROM not_a_fact')).toBeNull();
  });

  it('saves every named query, defaults filled and value-less parameters as execution parameters', () => {
    // Act
    const queries = athenaNamedQueries();
    const abCompare = queries.find((query) => query.name === 'ab-compare');
    const retention = queries.find((query) => query.name === 'retention');

    // Assess
    expect(queries.map((query) => query.name)).toEqual(Object.keys(namedQueries));
    expect(abCompare?.executionParameters).toEqual(['model_a', 'model_b', 'model_a', 'model_b']);
    expect(abCompare?.sql.match(/\?/g)).toHaveLength(4);
    expect(abCompare?.description).toContain('Execution parameters: model_a, model_b, model_a, model_b');
    expect(retention?.sql).toContain("INTERVAL '7' DAY");
    expect(queries.every((query) => !query.sql.includes('{{'))).toBe(true);
  });

  it('keeps the held-out window out of the training exports', () => {
    // Act
    const [train, history, holdout] = trainingExportStatements({ holdout_days: 3, window_days: 10 });

    // Assess
    expect(train?.sql).toContain("i.occurred_at <= n.at - INTERVAL '3' DAY");
    expect(history?.sql).toContain("i.occurred_at <= n.at - INTERVAL '3' DAY - INTERVAL '10' DAY");
    expect(holdout?.channel).toBe('holdout');
  });
});
