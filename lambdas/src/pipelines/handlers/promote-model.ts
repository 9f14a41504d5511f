/**
 * The retrain state machine's `PromoteModel` task (Lambda invoke), reached only when the evaluation found the
 * candidate better: publishes it and moves the pointer if it still names the model compared against. A failure
 * throws, so the state machine's Catch notifies and the pointer stays where it was.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ModelStore } from '../../recommendations/adapters/model-store';
import { ValidationError } from '../../shared/errors';
import { logger } from '../../shared/observability';
import { pipelinesConfigFrom } from '../config';
import { artifactsPrefix } from '../domain/s3-uri';
import { promoteModel, type PromoteModelResult } from '../promote-model';

const config = pipelinesConfigFrom(process.env);
const models = new ModelStore(
  new S3Client({ forcePathStyle: true }),
  config.modelsBucket,
  DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
  config.readerTable,
);

export const promoteModelEventSchema = z.object({
  /** `ModelArtifacts.S3ModelArtifacts` of the training job: its uncompressed output folder. */
  candidateArtifacts: z.string().min(1),
  /** The serving version the candidate was compared against; null when none was serving. */
  expectedVersion: z.string().min(1).nullable(),
  reason: z.string().min(1),
});

export type PromoteModelEvent = z.input<typeof promoteModelEventSchema>;

export async function handler(event: unknown): Promise<PromoteModelResult> {
  const parsed = promoteModelEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError(`Invalid PromoteModel input: ${parsed.error.issues[0]?.message}`);
  const { candidateArtifacts, expectedVersion, reason } = parsed.data;
  const result = await promoteModel(
    {
      candidatePrefix: artifactsPrefix(candidateArtifacts, config.modelsBucket),
      expectedVersion,
      note: `retrain: ${reason}`,
    },
    models,
  );
  logger.info('Retrained model promoted', { ...result });
  return result;
}
