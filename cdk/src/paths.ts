/** Where the CDK app finds the rest of the repository (resolved from this file, not from the working directory). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root (holds package-lock.json; esbuild bundles from here). */
export const repositoryRoot = resolve(here, '../..');

/** The `lambdas/` workspace: `FunctionSpec.entry` paths are relative to it. */
export const lambdasRoot = resolve(repositoryRoot, 'lambdas');

/** The database migrations; their content hash triggers the migration custom resource. */
export const migrationsFolder = resolve(lambdasRoot, 'src/platform/db/migrations');

/** The lock file NodejsFunction uses to find the project root. */
export const lockFile = resolve(repositoryRoot, 'package-lock.json');
