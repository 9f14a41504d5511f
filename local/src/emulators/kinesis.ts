/** Kinesis Data Streams for one machine: kinesalite keeping its records in a LevelDB folder. */
import kinesalite from 'kinesalite';
import { closeServer, listenOnLoopback } from './listen';

export interface LocalEmulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startKinesis(options: { path: string | undefined; port: number }): Promise<LocalEmulator> {
  const server = kinesalite({ path: options.path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  const port = await listenOnLoopback(server, options.port, 'local Kinesis');
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}
