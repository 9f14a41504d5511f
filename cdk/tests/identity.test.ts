import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functions, readerAuthorizerFunction } from '../../lambdas/src/functions';
import { PLACEHOLDER_SITE_ORIGIN } from '../src/api-stack';
import { buildTestApp } from './support';

// The app as deployed, synthesized once for the file.
const { api, stateful } = buildTestApp();
const apiTemplate = Template.fromStack(api);
const statefulTemplate = Template.fromStack(stateful);

type Route = { Properties: { RouteKey: string; AuthorizationType?: string; AuthorizerId?: unknown } };

const httpTriggers = functions.flatMap((spec) =>
  spec.triggers.flatMap((trigger) => (trigger.kind === 'http' ? [trigger] : [])),
);

describe('Identity in the CDK app', () => {
  it('guards signed-in and librarian routes with the JWT authorizer, reader routes with the reader authorizer', () => {
    // Prepare
    const routeKeys = (access: string[]) =>
      httpTriggers
        .filter((trigger) => access.includes(trigger.access))
        .map((trigger) => `${trigger.method} ${trigger.path}`)
        .sort();
    const authorizers = apiTemplate.findResources('AWS::ApiGatewayV2::Authorizer') as Record<
      string,
      { Properties: { AuthorizerType: string } }
    >;
    const idOf = (type: string) =>
      Object.keys(authorizers).find((id) => authorizers[id]!.Properties.AuthorizerType === type);

    // Act
    const routes = Object.values(apiTemplate.findResources('AWS::ApiGatewayV2::Route')) as Route[];
    const byType = (type: string) =>
      routes
        .filter((route) => (route.Properties.AuthorizationType ?? 'NONE') === type)
        .map((route) => route.Properties.RouteKey)
        .sort();

    // Assess
    expect(routeKeys(['signed-in', 'librarian'])).toEqual(
      expect.arrayContaining(['GET /librarian/ingest-runs', 'POST /readers/{readerId}/merge']),
    );
    expect(byType('JWT')).toEqual(routeKeys(['signed-in', 'librarian']));
    expect(byType('CUSTOM')).toEqual(routeKeys(['reader']));
    expect(byType('NONE')).toEqual(routeKeys(['public']));
    const expectedAuthorizer = { JWT: idOf('JWT'), CUSTOM: idOf('REQUEST'), NONE: undefined };
    expect(routes.map((route) => route.Properties.AuthorizerId)).toEqual(
      routes.map((route) => {
        const id =
          expectedAuthorizer[(route.Properties.AuthorizationType ?? 'NONE') as keyof typeof expectedAuthorizer];
        return id ? { Ref: id } : undefined;
      }),
    );
  });

  it('runs the reader authorizer on every request (no identity source, no cache), with simple responses', () => {
    expect(() =>
      apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 0,
        IdentitySource: [],
      }),
    ).not.toThrow();
  });

  it('declares an access level on every http trigger, and public only where no reader data is served', () => {
    // Act
    const publicRoutes = httpTriggers.filter((trigger) => trigger.access === 'public').map((trigger) => trigger.path);

    // Assess
    for (const trigger of httpTriggers)
      expect(['public', 'reader', 'signed-in', 'librarian']).toContain(trigger.access);
    expect(publicRoutes.filter((path) => path.includes('{readerId}') || path.startsWith('/librarian'))).toEqual([]);
    expect(httpTriggers.find((t) => t.path === '/events')?.access).toBe('reader');
    expect(httpTriggers.find((t) => t.path === '/chat')?.access).toBe('reader');
  });

  it('verifies tokens of the user pool, for the web client as audience', () => {
    // Act + Assess
    expect(() =>
      apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: Match.stringLikeRegexp('^WebClient') }],
          Issuer: Match.objectLike({
            'Fn::Join': Match.arrayWith([
              Match.arrayWith([Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('UserPool') })]),
            ]),
          }),
        },
      }),
    ).not.toThrow();
  });

  it('gives the web app a public client with the code flow only, called back on the site origins', () => {
    // Act + Assess
    expect(() =>
      apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: Match.arrayWith(['openid']),
        CallbackURLs: [PLACEHOLDER_SITE_ORIGIN],
        LogoutURLs: [PLACEHOLDER_SITE_ORIGIN],
        PreventUserExistenceErrors: 'ENABLED',
        SupportedIdentityProviders: ['COGNITO'],
      }),
    ).not.toThrow();
    expect(() => apiTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 1)).not.toThrow();
  });

  it('tells only the reader authorizer the issuer and audience: handlers never verify tokens themselves', () => {
    // Act
    const withIssuer = Object.values(apiTemplate.findResources('AWS::Lambda::Function'))
      .map((fn) => (fn as { Properties: { Description?: string; Environment?: { Variables?: object } } }).Properties)
      .filter((props) => props.Environment?.Variables && 'IDENTITY_ISSUER' in props.Environment.Variables)
      .map((props) => props.Description);

    // Assess
    expect(withIssuer).toEqual([readerAuthorizerFunction.description]);
  });

  it('keeps the user pool and the librarians group in the stateful stack: retained, protected, pinned', () => {
    // Act
    const resources = statefulTemplate.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>;

    // Assess
    expect(resources.UserPool).toMatchObject({ Type: 'AWS::Cognito::UserPool', DeletionPolicy: 'Retain' });
    expect(resources.LibrariansGroup).toMatchObject({ Type: 'AWS::Cognito::UserPoolGroup', DeletionPolicy: 'Retain' });
    expect(() =>
      statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
        DeletionProtection: 'ACTIVE',
        MfaConfiguration: 'OPTIONAL',
        UsernameAttributes: ['email'],
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
      }),
    ).not.toThrow();
    expect(() =>
      statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: 'librarians',
        UserPoolId: { Ref: 'UserPool' },
      }),
    ).not.toThrow();
  });
});
