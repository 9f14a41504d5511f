import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type GetQueryExecutionCommandOutput,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/shared/errors';
import {
  AthenaWarehouse,
  WarehouseQueryError,
  WarehouseTimeoutError,
  typedValue,
} from '../../src/warehouse/adapters/athena-warehouse';
import { athenaNamedQueries } from '../../src/warehouse/athena-dialect';
import { insightNames } from '../../src/warehouse/domain/insights';
import type { Warehouse, WarehouseRow } from '../../src/warehouse/ports';
import { readInsight, WarehouseResultError } from '../../src/warehouse/use-cases/read-insight';

const ctrRow = {
  model_version: 'v2',
  impression_day: '2026-03-02',
  position: 0,
  impressions: 2,
  clicks: 1,
  ctr: 0.5,
  conversions: 0,
  conversion_rate: 0,
};

/** A warehouse that answers fixed rows and records what it was asked. */
function fakeWarehouse(rows: WarehouseRow[] = []) {
  const calls: { name: string; values: Readonly<Record<string, string>> }[] = [];
  const warehouse: Warehouse = {
    runNamedQuery: async (name, values) => {
      calls.push({ name, values });
      return rows;
    },
  };
  return { warehouse, calls };
}

describe('readInsight', () => {
  it('serves only the whitelisted named queries', async () => {
    // Prepare
    const { warehouse, calls } = fakeWarehouse();

    // Act
    const refused = ['coverage-by-subject', 'interactions', 'drop table x', '../ctr-by-model', ''].map((name) =>
      readInsight({ warehouse }, name, {}),
    );

    // Assess
    for (const attempt of refused) await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toEqual([]);
    expect(insightNames).toEqual(['ctr-by-model', 'coverage', 'fallback-share', 'retention', 'ab-compare']);
  });

  it('answers typed rows with the query and its description', async () => {
    // Prepare
    const { warehouse, calls } = fakeWarehouse([ctrRow]);

    // Act
    const insight = await readInsight({ warehouse }, 'ctr-by-model', {});

    // Assess
    expect(insight).toEqual({
      query: 'ctr-by-model',
      description: expect.stringMatching(/Click-through/),
      parameters: {},
      rows: [ctrRow],
    });
    expect(calls).toEqual([{ name: 'ctr-by-model', values: {} }]);
  });

  it('passes two validated model versions to ab-compare', async () => {
    // Prepare
    const { warehouse, calls } = fakeWarehouse();

    // Act
    const insight = await readInsight({ warehouse }, 'ab-compare', {
      model_a: 'v1',
      model_b: ' 2026-03-01T03-30-00Z ',
    });

    // Assess
    expect(insight.parameters).toEqual({ model_a: 'v1', model_b: '2026-03-01T03-30-00Z' });
    expect(calls).toEqual([{ name: 'ab-compare', values: { model_a: 'v1', model_b: '2026-03-01T03-30-00Z' } }]);
  });

  it.each([
    ['ab-compare', {}, /model_a/],
    ['ab-compare', { model_a: 'v1' }, /model_b/],
    ['ab-compare', { model_a: 'v1', model_b: 'v1' }, /must differ/],
    ['ab-compare', { model_a: "v1' OR '1'='1", model_b: 'v2' }, /model version/],
    ['ab-compare', { model_a: 'v1', model_b: 'v2', attribution_days: '3' }, /attribution_days/],
    ['retention', { retention_days: '14' }, /retention_days/],
    ['ctr-by-model', { limit: '5' }, /limit/],
  ])('refuses %s with %j', async (name, parameters, message) => {
    // Prepare
    const { warehouse, calls } = fakeWarehouse();

    // Act
    const attempt = readInsight({ warehouse }, name, parameters);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  it('refuses rows that do not fit the query, rather than answering them', async () => {
    // Prepare
    const { warehouse } = fakeWarehouse([{ ...ctrRow, ctr: 'half' }]);

    // Act
    const attempt = readInsight({ warehouse }, 'ctr-by-model', {});

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(WarehouseResultError);
  });
});

type Command = { input: Record<string, unknown>; constructor: { name: string } };

/** A fake Athena client on the SDK's `send`: each command answered by a script, every command recorded. */
function fakeAthena(script: { states: string[]; pages?: Partial<GetQueryResultsCommandOutput>[]; reason?: string }): {
  client: Pick<AthenaClient, 'send'>;
  sent: Command[];
} {
  const sent: Command[] = [];
  let poll = 0;
  const send = async (command: Command) => {
    sent.push(command);
    if (command instanceof StartQueryExecutionCommand) return { QueryExecutionId: 'q-1' };
    if (command instanceof GetQueryExecutionCommand) {
      const state = script.states[Math.min(poll++, script.states.length - 1)];
      return {
        QueryExecution: { Status: { State: state, StateChangeReason: script.reason } },
      } as GetQueryExecutionCommandOutput;
    }
    if (command instanceof GetQueryResultsCommand) {
      const token = command.input.NextToken as string | undefined;
      return script.pages?.[token ? Number(token) : 0] ?? {};
    }
    if (command instanceof StopQueryExecutionCommand) return {};
    throw new Error(`Unexpected command ${command.constructor.name}`);
  };
  return { client: { send } as unknown as Pick<AthenaClient, 'send'>, sent };
}

const columns = [
  { Name: 'model_a', Type: 'varchar' },
  { Name: 'impressions_a', Type: 'bigint' },
  { Name: 'ctr_a', Type: 'double' },
  { Name: 'ci_low', Type: 'double' },
  { Name: 'winner', Type: 'boolean' },
];
const cells = (...values: (string | undefined)[]) => ({ Data: values.map((VarCharValue) => ({ VarCharValue })) });

function athenaWarehouse(client: Pick<AthenaClient, 'send'>, clock = { t: 0 }) {
  return new AthenaWarehouse({
    client,
    workGroup: 'ShelfwisePipelines-warehouse',
    database: 'shelfwisepipelines_warehouse',
    queries: athenaNamedQueries(),
    maxWaitMs: 5000,
    sleep: async (ms) => {
      clock.t += ms;
    },
    now: () => clock.t,
  });
}

describe('AthenaWarehouse', () => {
  it('runs the saved query in the workgroup and database, with the versions as execution parameters', async () => {
    // Prepare
    const { client, sent } = fakeAthena({
      states: ['QUEUED', 'RUNNING', 'SUCCEEDED'],
      pages: [
        {
          ResultSet: {
            ResultSetMetadata: { ColumnInfo: columns },
            Rows: [
              cells('model_a', 'impressions_a', 'ctr_a', 'ci_low', 'winner'),
              cells('v1', '2', '0.5', '-0.7', 'true'),
            ],
          },
          NextToken: '1',
        },
        {
          ResultSet: {
            ResultSetMetadata: { ColumnInfo: columns },
            Rows: [cells("o'k", '10', undefined, '1e-3', 'false')],
          },
        },
      ],
    });
    const abCompare = athenaNamedQueries().find((query) => query.name === 'ab-compare')!;

    // Act
    const rows = await athenaWarehouse(client).runNamedQuery('ab-compare', { model_a: "o'k", model_b: 'v2' });

    // Assess
    expect(sent[0]!.input).toEqual({
      QueryString: abCompare.sql,
      WorkGroup: 'ShelfwisePipelines-warehouse',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'shelfwisepipelines_warehouse' },
      ExecutionParameters: ["'o''k'", "'v2'", "'o''k'", "'v2'"],
    });
    expect(sent.map((command) => command.constructor.name)).toEqual([
      'StartQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryResultsCommand',
      'GetQueryResultsCommand',
    ]);
    expect(rows).toEqual([
      { model_a: 'v1', impressions_a: 2, ctr_a: 0.5, ci_low: -0.7, winner: true },
      { model_a: "o'k", impressions_a: 10, ctr_a: null, ci_low: 0.001, winner: false },
    ]);
  });

  it('sends no execution parameters to a query without any', async () => {
    // Prepare
    const { client, sent } = fakeAthena({ states: ['SUCCEEDED'], pages: [{ ResultSet: { Rows: [] } }] });

    // Act
    const rows = await athenaWarehouse(client).runNamedQuery('coverage', {});

    // Assess
    expect(rows).toEqual([]);
    expect(sent[0]!.input).not.toHaveProperty('ExecutionParameters');
    expect(sent[0]!.input.QueryString).toMatch(/FROM ranked/);
  });

  it('reports a failed query with Athena’s reason as the cause', async () => {
    // Prepare
    const { client } = fakeAthena({ states: ['RUNNING', 'FAILED'], reason: 'TABLE_NOT_FOUND: outcomes' });

    // Act
    const attempt = athenaWarehouse(client).runNamedQuery('ctr-by-model', {});

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(WarehouseQueryError);
    await expect(attempt).rejects.toMatchObject({ cause: 'TABLE_NOT_FOUND: outcomes' });
  });

  it('stops a query that runs past the wait, and says so', async () => {
    // Prepare
    const { client, sent } = fakeAthena({ states: ['RUNNING'] });
    const clock = { t: 0 };

    // Act
    const attempt = athenaWarehouse(client, clock).runNamedQuery('retention', {});

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(WarehouseTimeoutError);
    expect(sent.at(-1)).toBeInstanceOf(StopQueryExecutionCommand);
    expect(sent.at(-1)!.input).toEqual({ QueryExecutionId: 'q-1' });
    expect(clock.t).toBeLessThanOrEqual(5000);
  });

  it('refuses a query missing an execution parameter before calling Athena', async () => {
    // Prepare
    const { client, sent } = fakeAthena({ states: ['SUCCEEDED'] });

    // Act
    const attempt = athenaWarehouse(client).runNamedQuery('ab-compare', { model_a: 'v1' });

    // Assess
    await expect(attempt).rejects.toThrow(/model_b/);
    expect(sent).toEqual([]);
  });

  it('types values by their column: numbers, booleans, text, null', () => {
    expect(typedValue('42', { Name: 'n', Type: 'bigint' })).toBe(42);
    expect(typedValue('0.25', { Name: 'x', Type: 'double' })).toBe(0.25);
    expect(typedValue('true', { Name: 'b', Type: 'boolean' })).toBe(true);
    expect(typedValue('2026-03-02', { Name: 'd', Type: 'varchar' })).toBe('2026-03-02');
    expect(typedValue(undefined, { Name: 'd', Type: 'double' })).toBeNull();
  });
});

function event(query: string, claims?: Record<string, unknown>, parameters?: Record<string, string>) {
  return {
    routeKey: 'GET /librarian/insights/{query}',
    rawPath: `/librarian/insights/${query}`,
    pathParameters: { query },
    queryStringParameters: parameters,
    requestContext: { requestId: 'r-1', ...(claims ? { authorizer: { jwt: { claims } } } : {}) },
  } as unknown as APIGatewayProxyEventV2;
}

describe('insights API handler', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function loadHandler() {
    vi.stubEnv('ATHENA_WORKGROUP', 'ShelfwisePipelines-warehouse');
    vi.stubEnv('WAREHOUSE_DATABASE', 'shelfwisepipelines_warehouse');
    vi.stubEnv('WAREHOUSE_LOCAL_DATA_DIR', '');
    vi.stubEnv('LAMBDA_TASK_ROOT', '');
    const { handler } = await import('../../src/warehouse/handlers/insights-api');
    return async (e: APIGatewayProxyEventV2) => (await handler(e)) as APIGatewayProxyStructuredResultV2;
  }

  it('refuses a signed-in reader (403) and an anonymous caller (401)', async () => {
    // Prepare
    const handler = await loadHandler();

    // Act
    const reader = await handler(event('ctr-by-model', { sub: 'reader-1', 'cognito:groups': '[readers]' }));
    const anonymous = await handler(event('ctr-by-model'));

    // Assess
    expect(reader.statusCode).toBe(403);
    expect(JSON.parse(reader.body!).message).toMatch(/librarians/);
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers 404 for a query that is not an insight and 400 for bad versions, before asking Athena', async () => {
    // Prepare
    const handler = await loadHandler();
    const librarian = { sub: 'lib-1', 'cognito:groups': '[librarians]' };

    // Act
    const unknown = await handler(event('coverage-by-subject', librarian));
    const bad = await handler(event('ab-compare', librarian, { model_a: 'v1' }));

    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body!).message).toMatch(/model_b/);
  });
});
