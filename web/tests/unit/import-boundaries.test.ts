import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The import rules of the web app (bulletproof-react): shared code (components, config, lib) → features → app, never
 * backwards, and no feature imports another. The root ESLint config has no import-boundary plugin, so this test is
 * the check.
 */

const srcDir = fileURLToPath(new URL('../../src', import.meta.url));

interface SourceImport {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, 'utf8');
  const found: SourceImport[] = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)) {
    found.push({ file, specifier: match[3] ?? '', typeOnly: Boolean(match[2]) });
  }
  for (const match of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) {
    found.push({ file, specifier: match[1] ?? '', typeOnly: false });
  }
  return found;
}

/** "app", "feature:<name>" or "shared", from a path inside src/. */
function layerOf(path: string): string {
  const [top, second] = relative(srcDir, path).split(sep);
  if (top === 'app' || top === 'main.tsx') return 'app';
  if (top === 'features') return `feature:${second}`;
  return 'shared';
}

const allImports = sourceFiles(srcDir).flatMap(importsOf);
const relativeImports = allImports
  .filter(({ specifier }) => specifier.startsWith('.'))
  .map((entry) => ({
    ...entry,
    from: layerOf(entry.file),
    to: layerOf(resolve(dirname(entry.file), entry.specifier)),
    where: `${relative(srcDir, entry.file)} → ${entry.specifier}`,
  }));

describe('import boundaries of web/src', () => {
  it('finds the imports it checks', () => {
    expect(relativeImports.length).toBeGreaterThan(20);
  });

  it('keeps shared code free of features and app', () => {
    const violations = relativeImports.filter(({ from, to }) => from === 'shared' && to !== 'shared');
    expect(violations.map(({ where }) => where)).toEqual([]);
  });

  it('keeps each feature to itself and shared code', () => {
    const violations = relativeImports.filter(
      ({ from, to }) => from.startsWith('feature:') && to !== from && to !== 'shared',
    );
    expect(violations.map(({ where }) => where)).toEqual([]);
  });

  it('imports the lambdas workspace type-only, so no server code reaches the bundle', () => {
    const violations = allImports.filter(({ specifier, typeOnly }) => specifier.startsWith('@shelfwise/') && !typeOnly);
    expect(violations.map(({ file, specifier }) => `${relative(srcDir, file)} → ${specifier}`)).toEqual([]);
  });
});
