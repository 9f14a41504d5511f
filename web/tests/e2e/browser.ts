import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type ViewportSize } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core downloads no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions of the pages, for tests to assert there were none. */
  pageErrors: Error[];
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

export interface OpenBrowserOptions {
  /** Defaults to a 360 × 740 phone, the narrowest screen the app supports. */
  viewport?: ViewportSize;
  /** Resolves relative `page.goto('/…')` URLs. */
  baseURL?: string;
}

/**
 * Launches Chromium with a fresh, temporary profile. Playwright refuses a `--user-data-dir` argument, so the profile
 * goes through `launchPersistentContext`, which also makes the context and the browser one thing to close.
 */
export async function openBrowser({
  viewport = { width: 360, height: 740 },
  baseURL,
}: OpenBrowserOptions = {}): Promise<BrowserSession> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch (error) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\``, {
      cause: error,
    });
  }

  const userDataDir = await mkdtemp(join(tmpdir(), 'shelfwise-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      ...(baseURL ? { baseURL } : {}),
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }

  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: Error[] = [];
  context.on('weberror', (webError) => pageErrors.push(webError.error()));

  return {
    context,
    page,
    pageErrors,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
