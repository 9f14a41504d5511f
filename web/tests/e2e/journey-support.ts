import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, ViewportSize } from 'playwright-core';

import { startLocalRuntime, type LocalRuntime } from '@shelfwise/local/runtime';

import { openBrowser, type BrowserSession } from './browser';

/* What the journeys against the whole local system share: the system and a browser, screenshots, axe-core. */

const distDir = fileURLToPath(new URL('../../dist', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

export interface Journey {
  runtime: LocalRuntime;
  browser: BrowserSession;
  stop(): Promise<void>;
}

/** Starts `npm start`'s system (built app, API, emulators, demo catalogue) on free ports, and a fresh Chromium. */
export async function startJourney(
  name: string,
  viewport: ViewportSize = { width: 1280, height: 900 },
): Promise<Journey> {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`The web app is not built (${distDir}): run \`npm run build -w web\` first`);
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), `shelfwise-${name}-`));
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    servicePorts: { postgres: 0, s3: 0, kinesis: 0, dynamodb: 0 },
    reset: false,
    demoCatalogue: true,
    webDist: distDir,
  });
  const browser = await openBrowser({ baseURL: runtime.url, viewport });
  return {
    runtime,
    browser,
    async stop() {
      await browser.close();
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a screenshot under web/test-results/screenshots (ignored by git) and returns its path: the full page, or
 * only the viewport (for a drawer over the page).
 */
export async function saveScreenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.x A and AA rules) in the page and returns its serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: await axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe;
    interface AxeResults {
      passes: unknown[];
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    if (results.passes.length === 0) throw new Error('axe-core checked nothing');
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
      }));
  });
}
