/**
 * `npm run pipeline -- etl|retrain [--data-dir <folder>] [--templates <cdk.out>] [--input <json>]`: runs the
 * `warehouse-etl` or `retrain` state machine of the CDK app on the data of `npm start` (default `.shelfwise/`),
 * every task done locally (local-tasks.ts). With `npm start` running its S3 and DynamoDB are used; otherwise they
 * are started on the data folder for the run.
 *
 *   npm run pipeline -- etl
 *   npm run pipeline -- retrain --input '{"margin": 0.01, "hyperparameters": {"epochs": "2"}}'
 *   npm run synth && npm run pipeline -- etl --templates cdk.out
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { synthesizedTemplates, templatesFromFolder } from './definitions';
import type { Json } from './local-tasks';
import { runPipeline } from './run-pipeline';
import { connectLocalServices } from './services';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const usage = 'Usage: npm run pipeline -- etl|retrain [--data-dir <folder>] [--templates <cdk.out>] [--input <json>]';

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      templates: { type: 'string' },
      input: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const [name] = positionals;
  if (values.help || (name !== 'etl' && name !== 'retrain')) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const dataDir = path.resolve(values['data-dir'] ?? path.join(repoRoot, '.shelfwise'));
  if (!existsSync(path.join(dataDir, 's3'))) {
    console.error(`No local data at ${dataDir}: run \`npm start\` first (or pass --data-dir).`);
    process.exitCode = 2;
    return;
  }
  const input = values.input ? (JSON.parse(values.input) as Json) : {};
  const started = Date.now();
  console.log(values.templates ? `Reading the templates in ${values.templates}…` : 'Synthesising the CDK app…');
  const templates = values.templates ? await templatesFromFolder(values.templates) : synthesizedTemplates();
  const services = await connectLocalServices(dataDir);
  console.log(services.shared ? 'Using the running `npm start`.' : `Started S3 and DynamoDB on ${dataDir}.`);
  try {
    const run = await runPipeline(name, {
      templates,
      dataDir,
      environment: services.environment,
      input,
      log: (message, details) => console.log(details ? `${message} ${JSON.stringify(details)}` : message),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`\n${name} ${run.status} in ${seconds} s`);
    if (run.output !== undefined) console.log(JSON.stringify(run.output, null, 2));
    if (run.error) console.error(`${run.error.name}: ${run.error.message}`);
    if (run.status !== 'SUCCEEDED') process.exitCode = 1;
  } finally {
    await services.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`pipeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
