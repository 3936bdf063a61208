import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildServer, defaultWebRoot, type ServerOptions } from '../src/api/server.js';
import { openMemoryPglite, type DatabaseHandle } from '../src/db/database.js';
import { loadDemoDataset } from '../src/services/demo.service.js';
import { bringUpToDate } from '../src/services/database.service.js';

const require = createRequire(import.meta.url);
export const screenshotDir = resolve('test-results', 'screenshots');

/** Debian's Chromium, never a downloaded browser; flags keep it off the (closed) network. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface RunningApp {
  baseUrl: string;
  handle: DatabaseHandle;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** The real server on port 0, over an embedded database loaded as the caller chooses (demo by default). */
export async function startApp(
  prepare: (handle: DatabaseHandle) => Promise<void> = async (h) => void (await loadDemoDataset(h)),
  serverOptions: Pick<ServerOptions, 'oidc'> = {},
): Promise<RunningApp> {
  if (!existsSync(join(defaultWebRoot, 'index.html')))
    throw new Error('The web app is not built: run "npm run build" first (npm run test:e2e does).');
  const handle = await openMemoryPglite();
  await bringUpToDate(handle.db);
  await prepare(handle);
  const server = await buildServer({
    db: handle.db,
    engine: handle.engine,
    today: () => new Date().toISOString().slice(0, 10),
    webRoot: defaultWebRoot,
    // Refusals the tests provoke are logged as warnings; only errors are worth reading here.
    logLevel: 'error',
    ...serverOptions,
  });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: address,
    handle,
    server,
    async close() {
      await server.close();
      await handle.close();
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core in the page and returns violations of serious or critical impact. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy refuses inline scripts.
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Keeps a screenshot of the page under `name`, then fails the test on any serious or critical axe violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

/**
 * Signs in through the sign-in page, as a person would, from no session (cookies cleared), asking to return
 * to `returnTo`; waits until the app has landed on that path (its query, if any, aside).
 */
export async function signInAs(
  page: Page,
  baseUrl: string,
  account: { email: string; password: string },
  returnTo: string,
): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === returnTo.split('?')[0]);
}

export const userGuideDir = resolve('docs', 'user-guide');

/**
 * A picture for the user guide (docs/user-guide.md), taken only when UPDATE_USER_GUIDE=1 (`npm run guide`),
 * always of the generated demo data. A section of the page when a locator is given, else the window.
 */
export async function guideShot(page: Page, name: string, section?: Locator): Promise<void> {
  if (process.env.UPDATE_USER_GUIDE !== '1') return;
  mkdirSync(userGuideDir, { recursive: true });
  const path = join(userGuideDir, `${name}.jpg`);
  if (section) {
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path, type: 'jpeg', quality: 70 });
  } else {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path, type: 'jpeg', quality: 70 });
  }
}
