/**
 * Child process of `npm start`: trains the default model into a folder (CPU-bound for about a minute and a half, so
 * it runs beside the API instead of blocking it). Arguments: <output folder> <seed> <database url>.
 */
import { trainDefaultModel } from '@shelfwise/training/pipeline/default-model';
import { demoBookIds } from './default-model';

const [directory, seed, databaseUrl] = process.argv.slice(2);
if (!directory || !seed || !databaseUrl) {
  console.error('usage: train-default-model <output folder> <seed> <database url>');
  process.exit(2);
}
const bookIds = await demoBookIds(databaseUrl);
if (bookIds.size === 0) {
  console.error('The demo catalogue is not loaded: no default model to train');
  process.exit(1);
}
await trainDefaultModel(directory, { seed: Number(seed), bookIds });
