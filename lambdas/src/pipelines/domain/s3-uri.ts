/** `s3://bucket/key` URIs, as Step Functions passes the training job's artifacts and Athena's result files. */
import { ValidationError } from '../../shared/errors';

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new ValidationError(`${uri} is not an s3://bucket/key URI`);
  return { bucket: match[1]!, key: match[2]! };
}

/**
 * The key prefix of a training job's model artifacts in the models bucket, refusing another bucket or a compressed
 * `model.tar.gz` (the job's output compression must be NONE).
 */
export function artifactsPrefix(uri: string, modelsBucket: string): string {
  const { bucket, key } = parseS3Uri(uri);
  if (bucket !== modelsBucket) throw new ValidationError(`${uri} is not in the models bucket`);
  if (key.endsWith('.tar.gz')) throw new ValidationError(`${uri} is compressed; the training output must be NONE`);
  return key.endsWith('/') ? key : `${key}/`;
}
