/**
 * The retraining pipeline's exports, each ONE SQL text in `sql/` over the warehouse's `interactions` fact, run by
 * Athena in the cloud (its CSV result, with a header, is the export's file) and by DuckDB locally:
 *
 * - `train`: the training window (the training job's `train` channel);
 * - `history`: older interactions, a sample of which the job replays (its `history` channel);
 * - `holdout`: the last days, never trained on, on which the candidate and the serving model are compared.
 */
import { readFileSync } from 'node:fs';
import { renderSql, type ParameterSpec, type ParameterValues } from '../warehouse/queries';

export const exportParameters = {
  holdout_days: {
    kind: 'days',
    default: 7,
    description: 'Days up to the newest interaction held out from training, on which the models are compared',
  },
  window_days: { kind: 'days', default: 30, description: 'Days of new interactions the candidate is trained on' },
  history_days: {
    kind: 'days',
    default: 365,
    description: 'Days back from which older interactions are sampled and replayed',
  },
} as const satisfies Record<string, ParameterSpec>;

/** The exports, in the order the pipeline runs them; `train` and `history` are training channels. */
export const trainingExports = [
  { channel: 'train', file: 'training-window.sql' },
  { channel: 'history', file: 'training-history.sql' },
  { channel: 'holdout', file: 'training-holdout.sql' },
] as const;

export type ExportChannel = (typeof trainingExports)[number]['channel'];

export interface TrainingExportStatement {
  readonly channel: ExportChannel;
  readonly sql: string;
}

/** The exports' SQL with their parameters filled (the same text for Athena and DuckDB); synchronous, for CDK. */
export function trainingExportStatements(values: ParameterValues = {}): TrainingExportStatement[] {
  return trainingExports.map(({ channel, file }) => {
    const text = readFileSync(new URL(`./sql/${file}`, import.meta.url), 'utf8');
    return { channel, sql: renderSql(text, exportParameters, values) };
  });
}
