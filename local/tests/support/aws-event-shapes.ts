/**
 * The event shapes the Lambda service delivers, as AWS documents them ("Using AWS Lambda with Amazon S3 / Kinesis /
 * API Gateway HTTP APIs"), written as strict zod schemas: an extra, missing or mistyped field fails the test.
 */
import { z } from 'zod';

export const s3EventSchema = z.strictObject({
  Records: z.array(
    z.strictObject({
      eventVersion: z.string().regex(/^2\.\d$/),
      eventSource: z.literal('aws:s3'),
      awsRegion: z.string(),
      eventTime: z.iso.datetime(),
      eventName: z.string().regex(/^ObjectCreated:(Put|Post|Copy|CompleteMultipartUpload)$/),
      userIdentity: z.strictObject({ principalId: z.string() }),
      requestParameters: z.strictObject({ sourceIPAddress: z.string() }),
      responseElements: z.strictObject({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
      s3: z.strictObject({
        s3SchemaVersion: z.literal('1.0'),
        configurationId: z.string(),
        bucket: z.strictObject({
          name: z.string(),
          ownerIdentity: z.strictObject({ principalId: z.string() }),
          arn: z.string().regex(/^arn:aws:s3:::[a-z0-9.-]+$/),
        }),
        object: z.strictObject({
          key: z.string(),
          size: z.number().int().nonnegative(),
          eTag: z.string().regex(/^[0-9a-f]{32}$/),
          sequencer: z.string(),
        }),
      }),
    }),
  ),
});

export const kinesisEventSchema = z.strictObject({
  Records: z.array(
    z.strictObject({
      kinesis: z.strictObject({
        kinesisSchemaVersion: z.literal('1.0'),
        partitionKey: z.string(),
        sequenceNumber: z.string().regex(/^\d+$/),
        data: z.base64(),
        approximateArrivalTimestamp: z.number(),
      }),
      eventSource: z.literal('aws:kinesis'),
      eventVersion: z.literal('1.0'),
      eventID: z.string().regex(/^shardId-\d{12}:\d+$/),
      eventName: z.literal('aws:kinesis:record'),
      invokeIdentityArn: z.string().regex(/^arn:aws:iam::\d{12}:role\/.+$/),
      awsRegion: z.string(),
      eventSourceARN: z.string().regex(/^arn:aws:kinesis:[a-z0-9-]+:\d{12}:stream\/.+$/),
    }),
  ),
});

export const httpApiEventSchema = z.strictObject({
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: z.record(z.string(), z.string()),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  pathParameters: z.record(z.string(), z.string()).optional(),
  requestContext: z.strictObject({
    accountId: z.string(),
    apiId: z.string(),
    domainName: z.string(),
    domainPrefix: z.string(),
    http: z.strictObject({
      method: z.string(),
      path: z.string(),
      protocol: z.string(),
      sourceIp: z.string(),
      userAgent: z.string(),
    }),
    requestId: z.string(),
    routeKey: z.string(),
    stage: z.literal('$default'),
    time: z.string(),
    timeEpoch: z.number(),
  }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});
