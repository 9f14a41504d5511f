/**
 * The training entry point's configuration, read once from the environment (SageMaker's conventions) and validated.
 * In a SageMaker training job each input channel is a folder (`SM_CHANNEL_<NAME>`, else
 * /opt/ml/input/data/<name>) and the model goes to `SM_MODEL_DIR` (else /opt/ml/model); hyperparameters are a JSON
 * object of strings (/opt/ml/input/config/hyperparameters.json or `SM_HPS`). Locally none of this exists and the
 * defaults train the demo model into `.shelfwise/models/policy` at the repository root.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type Environment = Readonly<Record<string, string | undefined>>;

const sageMakerRoot = '/opt/ml';
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const hyperparametersSchema = z.object({
  epochs: z.coerce.number().int().positive().optional(),
  learningRate: z.coerce.number().positive().optional(),
  batchSize: z.coerce.number().int().positive().optional(),
  topK: z.coerce.number().int().positive().optional(),
  seed: z.coerce.number().int().nonnegative().default(1),
  version: z.string().min(1).optional(),
  /** Share of the old readers replayed when retraining (the `history` channel). */
  oldSampleFraction: z.coerce.number().min(0).max(1).default(0.3),
  importanceWeight: z.enum(['true', 'false']).optional(),
  readers: z.coerce.number().int().positive().default(3000),
});

export type Hyperparameters = z.infer<typeof hyperparametersSchema>;

export interface TrainingConfig {
  /** Interactions CSVs (goodbooks layout, optional `event` column); absent: train the demo model. */
  readonly trainDir?: string;
  /** `books.csv` (goodbooks layout) or `*.jsonl` catalogue books. */
  readonly booksDir?: string;
  /** A previous export to warm-start from. */
  readonly previousModelDir?: string;
  /** Older interactions, a sample of which is replayed with the new ones. */
  readonly historyDir?: string;
  readonly modelDir: string;
  /** Where SageMaker reads a failure reason (absent locally). */
  readonly failureFile?: string;
  readonly hyperparameters: Hyperparameters;
}

export function readTrainingConfig(env: Environment): TrainingConfig {
  const inSageMaker = existsSync(path.join(sageMakerRoot, 'input'));
  const channel = (name: string) => {
    const dir = env[`SM_CHANNEL_${name.toUpperCase()}`] ?? path.join(sageMakerRoot, 'input/data', name);
    return existsSync(dir) ? dir : undefined;
  };
  const modelDir =
    env.SM_MODEL_DIR ??
    (inSageMaker ? path.join(sageMakerRoot, 'model') : path.join(repositoryRoot, '.shelfwise/models/policy'));
  const hyperparametersFile = path.join(
    env.SM_INPUT_CONFIG_DIR ?? path.join(sageMakerRoot, 'input/config'),
    'hyperparameters.json',
  );
  let raw: unknown = {};
  if (env.SM_HPS) raw = JSON.parse(env.SM_HPS);
  else if (existsSync(hyperparametersFile)) raw = JSON.parse(readFileSync(hyperparametersFile, 'utf8'));
  const parsed = hyperparametersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid hyperparameter ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return {
    trainDir: channel('train'),
    booksDir: channel('books'),
    previousModelDir: channel('previous'),
    historyDir: channel('history'),
    modelDir,
    failureFile: existsSync(path.join(sageMakerRoot, 'output'))
      ? path.join(sageMakerRoot, 'output/failure')
      : undefined,
    hyperparameters: parsed.data,
  };
}
