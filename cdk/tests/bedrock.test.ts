import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BEDROCK_MODELS } from '../src/api-stack';
import { buildTestApp } from './support';

// The app as deployed (the real function specs), synthesized once for the file.
const { api, stateful } = buildTestApp();
const apiTemplate = Template.fromStack(api);
const statefulTemplate = Template.fromStack(stateful);

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

/** The policy statements that mention Bedrock, of the role whose logical id starts with `rolePrefix`. */
function bedrockStatements(rolePrefix: string): Statement[] {
  return Object.values(apiTemplate.findResources('AWS::IAM::Policy'))
    .map((policy) => (policy as { Properties: Record<string, unknown> }).Properties)
    .filter((properties) =>
      (properties.Roles as { Ref: string }[]).some((role) => role.Ref.startsWith(`${rolePrefix}Role`)),
    )
    .flatMap((properties) => (properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('bedrock:')));
}

/** The model id at the end of a `Fn::Join`ed foundation-model ARN. */
function modelIdOf(resource: unknown): string {
  const parts = (resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const last = parts.at(-1);
  expect(typeof last).toBe('string');
  expect(JSON.stringify(parts)).toContain('foundation-model/');
  return (last as string).replace(/^.*foundation-model\//, '');
}

describe('Bedrock access', () => {
  it('lets the chatbot invoke and stream from its chat model and invoke the embedding model, nothing else', () => {
    // Act
    const statements = bedrockStatements('ChatApi');

    // Assess
    const granted = statements.map((statement) => ({
      actions: [statement.Action].flat().sort(),
      models: [statement.Resource].flat().map(modelIdOf),
    }));
    expect(granted).toEqual([
      { actions: ['bedrock:InvokeModel'], models: [DEFAULT_BEDROCK_MODELS.embeddingModelId] },
      {
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        models: [DEFAULT_BEDROCK_MODELS.chatModelId],
      },
    ]);
  });

  it('lets the ingest invoke only the embedding model, and no other function any model', () => {
    // Act
    const ingest = bedrockStatements('CatalogueIngest');
    const others = ['CatalogueApi', 'RecommendationsApi', 'Recommender', 'ReaderEventsApi'].flatMap(bedrockStatements);

    // Assess
    expect(ingest.map((statement) => [statement.Resource].flat().map(modelIdOf))).toEqual([
      [DEFAULT_BEDROCK_MODELS.embeddingModelId],
    ]);
    expect(others).toEqual([]);
  });

  it('configures the handlers for Bedrock and reaches its runtime from the isolated subnets', () => {
    // Act + Assess
    const chat = Object.values(apiTemplate.findResources('AWS::Lambda::Function')).find(
      (fn) => (fn as { Properties: { Description?: string } }).Properties.Description?.includes('chat') ?? false,
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } } | undefined;
    expect(chat?.Properties.Environment.Variables).toMatchObject({
      EMBEDDER: 'bedrock-titan',
      EMBEDDER_DIMENSION: '1024',
      CHAT_MODEL: 'bedrock',
      CHAT_MODEL_ID: DEFAULT_BEDROCK_MODELS.chatModelId,
    });
    const endpoints = Object.values(statefulTemplate.findResources('AWS::EC2::VPCEndpoint')).map((endpoint) =>
      JSON.stringify((endpoint as { Properties: { ServiceName: unknown } }).Properties.ServiceName),
    );
    expect(endpoints.some((name) => name.includes('bedrock-runtime'))).toBe(true);
  });
});
