import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The local stand-in of an event source's on-failure destination: what could not be processed after the retries is
 * written, with the reason, as one JSON file per failure under `<data>/dead-letters/<function>/`.
 */
export class DeadLetterFolder {
  constructor(private readonly root: string) {}

  async put(functionId: string, failure: { source: string; reason: string; payload: unknown }): Promise<string> {
    const folder = path.join(this.root, functionId);
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.hrtime.bigint()}.json`);
    await writeFile(file, JSON.stringify({ failedAt: new Date().toISOString(), ...failure }, null, 2));
    return file;
  }
}
