/** Configuration of the pipeline task functions, read once at cold start. */
import { requiredString, type Environment } from '../shared/config';
import { buckets, tables } from '../shared/infrastructure';

export interface PipelinesConfig {
  readonly modelsBucket: string;
  readonly readerTable: string;
}

export interface EvaluationConfig extends PipelinesConfig {
  /** The data lake, where Athena writes the held-out export. */
  readonly lakeBucket: string;
}

export function pipelinesConfigFrom(env: Environment): PipelinesConfig {
  return {
    modelsBucket: requiredString(env, buckets.models.envVar),
    readerTable: requiredString(env, tables.readers.envVar),
  };
}

export function evaluationConfigFrom(env: Environment): EvaluationConfig {
  return { ...pipelinesConfigFrom(env), lakeBucket: requiredString(env, buckets.lake.envVar) };
}
