/** DynamoDB for one machine: dynalite keeping its tables in a LevelDB folder. */
import dynalite from 'dynalite';
import { closeServer, listenOnLoopback } from './listen';
import type { LocalEmulator } from './kinesis';

export async function startDynamoDb(options: { path: string | undefined; port: number }): Promise<LocalEmulator> {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listenOnLoopback(server, options.port, 'local DynamoDB');
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}
