/**
 * The Shelfwise CDK app: its stacks, tags and the cdk-nag checks. bin/shelfwise.ts runs it for the CLI; the tests
 * build the very same app (with bundling switched off).
 */
import { App, Tags, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { FunctionSpec } from '../../lambdas/src/functions';
import { trainingExportStatements } from '../../lambdas/src/pipelines/training-exports';
import { athenaEtlStatements, athenaNamedQueries } from '../../lambdas/src/warehouse/athena-dialect';
import { DEFAULT_BEDROCK_MODELS, PLACEHOLDER_SITE_ORIGIN, ShelfwiseApiStack } from './api-stack';
import { ShelfwisePipelinesStack, warehouseNames } from './pipelines-stack';
import { ShelfwiseStatefulStack, type DatabaseCapacity } from './stateful-stack';
import { ShelfwiseWebStack, type WebCustomDomain } from './web-stack';

/** CDK context keys the app reads (`cdk synth -c shelfwise:siteOrigin=https://…`). */
export const CONTEXT_KEYS = {
  /** Comma-separated https origins of the reader web app, for CORS. */
  siteOrigin: 'shelfwise:siteOrigin',
  /** Minimum Aurora capacity in ACU; 0 lets an idle dev database pause. */
  databaseMinAcu: 'shelfwise:databaseMinAcu',
  /** `false` skips the database secret rotation (LocalStack only, see cdk/README.md). */
  secretRotation: 'shelfwise:secretRotation',
  /** The chatbot's Bedrock model id. @default DEFAULT_BEDROCK_MODELS.chatModelId */
  chatModelId: 'shelfwise:chatModelId',
  /** The web app's own domain (with `webCertificateArn`); @default the distribution's *.cloudfront.net name */
  webDomainName: 'shelfwise:webDomainName',
  /** ACM certificate (us-east-1) of `webDomainName`. */
  webCertificateArn: 'shelfwise:webCertificateArn',
  /**
   * The PEM public key that signs book-file URLs (with `bookFilesPrivateKeySecretArn`: the Secrets Manager secret of
   * its private key, made by the operators). Without both, no books distribution is made and file routes answer 503.
   */
  bookFilesPublicKey: 'shelfwise:bookFilesPublicKey',
  bookFilesPrivateKeySecretArn: 'shelfwise:bookFilesPrivateKeySecretArn',
} as const;

export interface ShelfwiseAppOptions {
  readonly appProps?: AppProps;
  /** @default lambdas/src/platform/db/migrations */
  readonly migrationsFolder?: string;
  /** @default every spec in lambdas/src/functions.ts */
  readonly functions?: readonly FunctionSpec[];
  /** The built web app. @default web/dist (`npm run build -w web`) */
  readonly webDist?: string;
}

export interface ShelfwiseApp {
  readonly app: App;
  readonly stateful: ShelfwiseStatefulStack;
  readonly api: ShelfwiseApiStack;
  readonly pipelines: ShelfwisePipelinesStack;
  readonly web: ShelfwiseWebStack;
}

export function createShelfwiseApp(options: ShelfwiseAppOptions = {}): ShelfwiseApp {
  const app = new App({
    ...options.appProps,
    context: {
      // Cross-stack references stay CloudFormation exports (Fn::ImportValue): the stateful stack cannot drop a
      // resource the API still uses, and LocalStack understands them. cdk.json or -c may still override this.
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      ...options.appProps?.context,
    },
  });
  const siteOrigins = contextString(app, CONTEXT_KEYS.siteOrigin)
    ?.split(',')
    .map((origin) => origin.trim()) ?? [defaultSiteOrigin(app)];
  const minAcu = Number(contextString(app, CONTEXT_KEYS.databaseMinAcu) ?? '0.5');
  if (!Number.isFinite(minAcu) || minAcu < 0 || minAcu > 4) {
    throw new Error(`${CONTEXT_KEYS.databaseMinAcu} must be a number of ACU between 0 and 4`);
  }
  const databaseCapacity: DatabaseCapacity = { minAcu, maxAcu: 4 };

  // Environment-agnostic stacks: `cdk synth` needs no credentials; the account and region come from the profile
  // at deploy time.
  const stateful = new ShelfwiseStatefulStack(app, 'ShelfwiseStateful', {
    description: 'Shelfwise stateful resources: VPC, Aurora PostgreSQL, buckets, tables, stream (data is retained)',
    terminationProtection: true,
    migrationsFolder: options.migrationsFolder,
    databaseCapacity,
    secretRotation: contextString(app, CONTEXT_KEYS.secretRotation) !== 'false',
  });
  const pipelinesStackName = 'ShelfwisePipelines';
  const api = new ShelfwiseApiStack(app, 'ShelfwiseApi', {
    description: 'Shelfwise stateless API: HTTP API and Lambda functions',
    stateful,
    siteOrigins,
    functions: options.functions,
    // The insights function queries the pipelines' warehouse, named here (that stack is deployed after this one).
    warehouse: warehouseNames(pipelinesStackName),
    bedrock: {
      ...DEFAULT_BEDROCK_MODELS,
      chatModelId: contextString(app, CONTEXT_KEYS.chatModelId) ?? DEFAULT_BEDROCK_MODELS.chatModelId,
    },
    bookFiles: bookFilesSigning(app),
  });
  // The warehouse and the state machines; their SQL is read from lambdas/src/warehouse and lambdas/src/pipelines.
  const pipelines = new ShelfwisePipelinesStack(app, pipelinesStackName, {
    description: 'Shelfwise pipelines: Glue warehouse, Athena workgroup, warehouse-etl and retrain state machines',
    stateful,
    alarmTopic: api.alarmTopic,
    etlStatements: athenaEtlStatements(),
    exportStatements: trainingExportStatements(),
    namedQueries: athenaNamedQueries(),
  });

  // The site and the API on one CloudFront origin (`/api/*`); config.json carries the hosted sign-in settings.
  const web = new ShelfwiseWebStack(app, 'ShelfwiseWeb', {
    description: 'Shelfwise web app: CloudFront (site from the web bucket, API under /api), deployed build',
    bucket: stateful.buckets.web,
    api: {
      httpApi: api.httpApi,
      signInUrl: api.signInDomain.baseUrl(),
      webClientId: api.webClient.userPoolClientId,
      bookFilesUrl: api.bookFilesUrl,
    },
    webDist: options.webDist,
    customDomain: webCustomDomain(app),
  });

  Tags.of(app).add('project', 'shelfwise');
  Tags.of(app).add('managed-by', 'aws-cdk');
  Tags.of(stateful).add('tier', 'stateful');
  Tags.of(api).add('tier', 'stateless');
  Tags.of(pipelines).add('tier', 'stateless');
  Tags.of(web).add('tier', 'stateless');

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, api, pipelines, web };
}

/** The web app's own domain when one is configured, else the placeholder (set the distribution's after a deploy). */
function defaultSiteOrigin(app: App): string {
  const domain = webCustomDomain(app);
  return domain ? `https://${domain.domainName}` : PLACEHOLDER_SITE_ORIGIN;
}

function webCustomDomain(app: App): WebCustomDomain | undefined {
  const domainName = contextString(app, CONTEXT_KEYS.webDomainName);
  const certificateArn = contextString(app, CONTEXT_KEYS.webCertificateArn);
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error(
      `${CONTEXT_KEYS.webDomainName} and ${CONTEXT_KEYS.webCertificateArn} go together: set both or neither`,
    );
  }
  return domainName && certificateArn ? { domainName, certificateArn } : undefined;
}

/** The book-file signing key from context: both keys or neither. */
function bookFilesSigning(app: App): { publicKeyPem: string; privateKeySecretArn: string } | undefined {
  const publicKeyPem = contextString(app, CONTEXT_KEYS.bookFilesPublicKey);
  const privateKeySecretArn = contextString(app, CONTEXT_KEYS.bookFilesPrivateKeySecretArn);
  if (!publicKeyPem && !privateKeySecretArn) return undefined;
  if (!publicKeyPem || !privateKeySecretArn) {
    throw new Error(
      `${CONTEXT_KEYS.bookFilesPublicKey} and ${CONTEXT_KEYS.bookFilesPrivateKeySecretArn} must be set together`,
    );
  }
  return { publicKeyPem: publicKeyPem.replace(/\\n/g, '\n'), privateKeySecretArn };
}

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
