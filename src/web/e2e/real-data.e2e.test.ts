import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, startApp, type RunningApp } from '../../../test/browser.js';
import { hasSharedData, sharedDataPath } from '../../../test/shared-data.js';
import { importSharedOds, importStatisticsFile } from '../../../test/statistics.js';

const files = [
  'regions.csv',
  'icbs.csv',
  'trusts.csv',
  'ods_successors.csv',
  'ae_attendances.csv',
  'ae_trust_monthly_2021_2025.csv',
  'beds_trust_monthly_2022_2025.csv',
  'rtt_trust_monthly_total_2019_2025.csv',
];

/**
 * Every main page on a database loaded from the published files (../shared/data), not the demo: real
 * regions, ICBs and trusts, real A&E, bed and RTT figures. Screenshots stay in test-results (they show
 * published data, which is not copied into the repository).
 */
describe.skipIf(!hasSharedData(...files))('the web app on published data', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const serverErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp(async (handle) => {
      await importSharedOds(handle);
      await importStatisticsFile(handle, 'ae', sharedDataPath('ae_attendances.csv'));
      await importStatisticsFile(handle, 'ae', sharedDataPath('ae_trust_monthly_2021_2025.csv'));
      await importStatisticsFile(handle, 'beds', sharedDataPath('beds_trust_monthly_2022_2025.csv'));
      await importStatisticsFile(handle, 'rtt', sharedDataPath('rtt_trust_monthly_total_2019_2025.csv'));
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('response', (response) => {
      if (response.status() >= 500) serverErrors.push(`${response.status()} ${response.url()}`);
    });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function visit(path: string, heading: RegExp, name: string) {
    await page.goto(`${app.baseUrl}${path}`);
    await expect.poll(() => page.locator('h1').first().textContent()).toMatch(heading);
    await page.waitForFunction(() => document.querySelectorAll('.app-loading').length === 0);
    await expectAccessible(page, name);
  }

  it('shows England with no demo banner, the seven regions on the map, and their latest A&E figures', async () => {
    await visit('/', /^The NHS in England on /, 'real-01-england');
    expect(await page.getByTestId('demo-banner').count()).toBe(0);
    const map = page.getByRole('navigation', { name: 'Map of regions and integrated care systems' });
    expect(await map.getByRole('link').count()).toBe(7 + 42);
    const regions = page.getByTestId('member-figures').locator('tbody tr');
    await expect.poll(() => regions.count()).toBe(8);
    expect(await regions.last().textContent()).toMatch(/England \(all members\)\s*\d+\.\d%/);
  });

  it('goes to a real region, ICB and trust', async () => {
    await visit('/organisations/Y62', /North West/, 'real-02-region');
    await visit('/organisations/QOP', /Greater Manchester/, 'real-03-icb');
    await expect
      .poll(() => page.getByTestId('member-figures').locator('tbody tr').count())
      .toBeGreaterThan(5);
    await visit('/organisations/R0A', /Manchester University/, 'real-04-trust');
    await expect.poll(() => page.locator('#latest-figures').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#benchmark-heading').isVisible()).toBe(true);
  });

  it('opens a metric with its chart and league table, the imports page and the returns page', async () => {
    await visit('/metrics/ae_4h_all', /A&E 4-hour performance/, 'real-05-metric');
    await expect.poll(() => page.getByTestId('spc-plot').locator(':scope > svg').count()).toBe(1);
    await expect.poll(() => page.getByTestId('spc-sentence').textContent()).toMatch(/^From /);
    await expect.poll(() => page.locator('#league-heading').isVisible()).toBe(true);
    await visit('/metrics/rtt_over_18w_all_parts', /18 weeks/, 'real-06-rtt');
    expect(await page.getByText(/not the official waiting-list/i).count()).toBeGreaterThan(0);
    await visit('/imports', /Imports and quarantine/, 'real-07-imports');
    await visit('/returns', /Returns/, 'real-08-returns');
    await visit('/hierarchy/events', /Restructures/, 'real-09-restructures');
    await visit('/hierarchy/as-now', /History as now/, 'real-10-as-now');
    await visit('/search?q=manchester', /Find an organisation/, 'real-11-search');
    await expect
      .poll(() => page.getByRole('link', { name: /Manchester University NHS Foundation Trust/ }).count())
      .toBeGreaterThan(0);
    await visit('/about', /About/, 'real-12-about');
    await visit('/sign-in', /Sign in/, 'real-13-sign-in');
    expect(serverErrors).toEqual([]);
  });
});
