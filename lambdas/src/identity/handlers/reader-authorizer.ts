/**
 * The HTTP API's Lambda authorizer for `reader` routes (payload 2.0, simple responses, no identity source and no
 * cache, so it runs for every request, with or without a token). An HTTP API JWT authorizer cannot be optional,
 * and anonymous readers must reach these routes.
 *
 * No token: authorized as anonymous. Valid token: authorized with its subject and groups in the context. Invalid
 * token: `Unauthorized`, which API Gateway answers with 401. It runs outside the VPC, where Cognito's key set can be
 * fetched (the handlers behind it may run in isolated subnets and never verify a token themselves).
 */
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { UnauthenticatedError } from '../../shared/errors';
import { logger } from '../../shared/observability';
import { identitySettingsFrom } from '../config';
import { authorizeReader, type ReaderAuthorizerContext } from '../reader-authorization';
import { jwtVerifier } from '../token-verifier';

const verifier = jwtVerifier(identitySettingsFrom(process.env));

export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<ReaderAuthorizerContext>> => {
  try {
    const context = await authorizeReader(event.headers?.authorization ?? event.headers?.Authorization, verifier);
    return { isAuthorized: true, context };
  } catch (error) {
    if (error instanceof UnauthenticatedError) {
      logger.info('Token refused', { route: event.routeKey, reason: error.message });
      // The one error message API Gateway turns into 401 (any other is a 500).
      throw new Error('Unauthorized', { cause: error });
    }
    throw error;
  }
};
