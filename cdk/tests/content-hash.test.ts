import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashFolder } from '../src/content-hash';

describe('hashFolder', () => {
  const folders: string[] = [];
  const migrationsLike = () => {
    const folder = mkdtempSync(join(tmpdir(), 'shelfwise-hash-'));
    folders.push(folder);
    writeFileSync(join(folder, '0001-first.ts'), 'export const up = 1;');
    mkdirSync(join(folder, 'nested'));
    writeFileSync(join(folder, 'nested', 'index.ts'), 'export {};');
    return folder;
  };

  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('gives the same hash for the same files', () => {
    // Prepare
    const one = migrationsLike();
    const two = migrationsLike();

    // Act
    const hashes = [hashFolder(one), hashFolder(two)];

    // Assess
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('changes when a file is edited, added or renamed', () => {
    // Prepare
    const folder = migrationsLike();
    const original = hashFolder(folder);

    // Act
    writeFileSync(join(folder, '0001-first.ts'), 'export const up = 2;');
    const edited = hashFolder(folder);
    writeFileSync(join(folder, '0002-second.ts'), 'export const up = 3;');
    const added = hashFolder(folder);
    renameSync(join(folder, '0002-second.ts'), join(folder, '0003-second.ts'));
    const renamed = hashFolder(folder);

    // Assess
    expect(new Set([original, edited, added, renamed]).size).toBe(4);
  });

  it('refuses a folder that does not exist', () => {
    // Prepare
    const missing = join(tmpdir(), 'shelfwise-no-such-folder');

    // Act
    const act = () => hashFolder(missing);

    // Assess
    expect(act).toThrow(/not a folder/);
  });
});
