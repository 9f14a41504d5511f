/**
 * The one observability module: every handler imports its logger, metrics and tracer from here
 * (Powertools for AWS Lambda). Service name and log level come from the standard POWERTOOLS_* variables.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = 'shelfwise';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: 'Shelfwise' });
export const tracer = new Tracer({ serviceName });
