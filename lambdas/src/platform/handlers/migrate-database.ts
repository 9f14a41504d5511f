/**
 * CloudFormation custom resource (CDK Provider framework `onEvent`): applies the database migrations on create and
 * update. On delete it does nothing: the database is retained and its data never dropped by a deploy.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { lazyPool } from '../../shared/db/pool';
import { logger } from '../../shared/observability';
import { platformConfigFrom } from '../config';
import { migrateToLatest } from '../db/migrate';

const physicalResourceId = 'shelfwise-database-migrations';
const config = platformConfigFrom(process.env);
const getPool = lazyPool(() => config.database);

export const handler = async (event: CloudFormationCustomResourceEvent) => {
  logger.info('Migration request', { requestType: event.RequestType });
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const report = await migrateToLatest(await getPool());
  logger.info('Migrations applied', { applied: report.applied, latest: report.latest });
  return {
    PhysicalResourceId: physicalResourceId,
    Data: { Latest: report.latest ?? '', Applied: report.applied.join(',') },
  };
};
