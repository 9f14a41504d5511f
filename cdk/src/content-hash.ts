/** A content hash of a folder, read at synth time. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/**
 * SHA-256 over every file below `folder` (relative path and bytes, in sorted order), so that adding, renaming or
 * editing a file changes the hash and nothing else does.
 */
export function hashFolder(folder: string): string {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new Error(`Cannot hash ${folder}: it is not a folder`);
  }
  const hash = createHash('sha256');
  const files = filesUnder(folder)
    .map((path) => ({ path, name: relative(folder, path).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const file of files) {
    hash.update(file.name).update('\0').update(readFileSync(file.path)).update('\0');
  }
  return hash.digest('hex');
}
