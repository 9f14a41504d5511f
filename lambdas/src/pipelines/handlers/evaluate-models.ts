/**
 * The retrain state machine's `EvaluateModels` task (Lambda invoke): the training job's model artifacts and the
 * held-out export in, the comparison with the serving model out. It changes nothing; a failure throws, so the state
 * machine's Catch notifies and the current model keeps serving.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ModelStore } from '../../recommendations/adapters/model-store';
import { ValidationError } from '../../shared/errors';
import { logger } from '../../shared/observability';
import { OnnxRankerLoader } from '../adapters/onnx-ranker-loader';
import { S3HeldOutWindow } from '../adapters/s3-held-out-window';
import { evaluationConfigFrom } from '../config';
import { artifactsPrefix } from '../domain/s3-uri';
import { defaultPromotionMargin, evaluateModels, type EvaluateModelsResult } from '../evaluate-models';

const config = evaluationConfigFrom(process.env);
const s3 = new S3Client({ forcePathStyle: true });
const models = new ModelStore(
  s3,
  config.modelsBucket,
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  config.readerTable,
);
const heldOut = new S3HeldOutWindow(s3, config.lakeBucket);
const rankers = new OnnxRankerLoader();

export const evaluateModelsEventSchema = z.object({
  /** `ModelArtifacts.S3ModelArtifacts` of the training job: its uncompressed output folder. */
  candidateArtifacts: z.string().min(1),
  /** Athena's result file of the `holdout` export. */
  holdoutLocation: z.string().min(1),
  margin: z.coerce.number().min(0).max(1).default(defaultPromotionMargin),
});

export type EvaluateModelsEvent = z.input<typeof evaluateModelsEventSchema>;

export async function handler(event: unknown): Promise<EvaluateModelsResult> {
  const parsed = evaluateModelsEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError(`Invalid EvaluateModels input: ${parsed.error.issues[0]?.message}`);
  const { candidateArtifacts, holdoutLocation, margin } = parsed.data;
  const result = await evaluateModels(
    { candidatePrefix: artifactsPrefix(candidateArtifacts, config.modelsBucket), holdoutLocation, margin },
    { models, heldOut, rankers },
  );
  logger.info('Retrained model evaluated', { ...result });
  return result;
}
