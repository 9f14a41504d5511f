import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functions } from '../../lambdas/src/functions';
import { resolveAssetFile } from '../src/function-factory';

describe('resolveAssetFile', () => {
  it('resolves every asset file of the function specs to an installed file', () => {
    // Prepare
    const entries = functions.flatMap((spec) =>
      'assetFiles' in spec ? spec.assetFiles.map((file) => ({ spec, file })) : [],
    );

    // Act
    const resolved = entries.map(({ spec, file }) => resolveAssetFile(spec, file));

    // Assess
    expect(entries.map(({ spec, file }) => `${spec.id}: ${file}`)).toContain(
      'CatalogueIngest: sql.js/dist/sql-wasm.wasm',
    );
    for (const path of resolved) expect(existsSync(path), `${path} exists`).toBe(true);
  });

  it('names the function when an asset file cannot be resolved', () => {
    // Prepare
    const spec = { id: 'Probe' };

    // Act
    const act = () => resolveAssetFile(spec, 'no-such-package/dist/missing.wasm');

    // Assess
    expect(act).toThrow(/^Probe: asset file no-such-package\/dist\/missing\.wasm cannot be resolved from lambdas\//);
  });
});
