import { App, Duration, Stack } from 'aws-cdk-lib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ShelfwiseFunction } from '../src/constructs/shelfwise-function';
import { resolveAssetFile } from '../src/function-factory';
import { repositoryRoot } from '../src/paths';

// Real local esbuild bundling (the other tests switch it off), into a throw-away cloud assembly.
const outdir = mkdtempSync(join(tmpdir(), 'shelfwise-bundling-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('ShelfwiseFunction bundling', () => {
  it('copies the asset files beside index.mjs and gives the ESM bundle __dirname: bundled sql.js starts', () => {
    // Prepare
    const app = new App({ outdir });
    const stack = new Stack(app, 'BundlingTest');
    new ShelfwiseFunction(stack, 'SqlJsProbe', {
      entry: resolve(repositoryRoot, 'cdk/tests/fixtures/sql-js-handler.ts'),
      description: 'Test-only: starts sql.js from its bundle',
      memorySize: 256,
      timeout: Duration.seconds(10),
      assetFiles: [resolveAssetFile({ id: 'SqlJsProbe' }, 'sql.js/dist/sql-wasm.wasm')],
    });

    // Act
    const assembly = app.synth();
    const [asset] = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const assetDir = join(assembly.directory, asset ?? 'missing');
    const script =
      `const { handler } = await import(${JSON.stringify(pathToFileURL(join(assetDir, 'index.mjs')).href)});` +
      'console.log(JSON.stringify(await handler()));';
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });

    // Assess
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'sql-wasm.wasm']);
    expect(JSON.parse(output)).toEqual({ dirname: assetDir, sqliteVersion: expect.stringMatching(/^3\.\d+/) });
  });
});
