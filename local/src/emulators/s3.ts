/** S3 for one machine: s3rver keeping objects in a folder; it emits an event for every object written or removed. */
import S3rver, { type S3rverEventRecord } from 's3rver';

export interface LocalS3 {
  readonly endpoint: string;
  onObjectEvent(listener: (record: S3rverEventRecord) => void): void;
  stop(): Promise<void>;
}

export async function startS3(options: { directory: string; port: number; buckets: string[] }): Promise<LocalS3> {
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const address = await server.run().catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'EADDRINUSE'
        ? `Port ${options.port} for local S3 is already in use; stop what uses it or choose another port`
        : `Could not start local S3: ${error.message}`,
      { cause: error },
    );
  });
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    onObjectEvent(listener) {
      server.on('event', (event) => event.Records.forEach(listener));
    },
    async stop() {
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
}
