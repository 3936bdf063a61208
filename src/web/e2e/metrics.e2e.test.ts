import { readFile } from 'node:fs/promises';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  guideShot,
  launchBrowser,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';

async function readDownload(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

describe('metrics in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('opens the catalogue and a metric for England, with figures, coverage, target and league table', async () => {
    await page.goto(`${app.baseUrl}/metrics`);
    await page.getByRole('link', { name: 'A&E 4-hour performance, all types' }).click();
    await page.waitForURL(/\/metrics\/ae_4h_all/);
    await expect
      .poll(() => page.locator('.nhsuk-lede-text').textContent())
      .toMatch(/NHS England: \d+\.\d% in /);
    expect(await page.locator('table').first().locator('tbody tr').count()).toBe(24);
    await expect.poll(() => page.locator('#league-heading').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Do not over-read small differences').isVisible()).toBe(true);
    // The SPC chart: a sentence and icons from one result, and the chart itself.
    await expect
      .poll(() => page.getByTestId('spc-sentence').textContent())
      .toMatch(/^From .+ \(24 points\): the latest point shows /);
    expect(await page.getByRole('img', { name: /^Variation: / }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /^Assurance: / }).count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('spc-chart').locator('svg[role="img"]').count())
      .toBeGreaterThan(0);
    await expectAccessible(page, '11-metric-england');
  });

  it('changes the organisation from the form, and shows why a region has no figures before it existed', async () => {
    await page.getByLabel('Organisation or area (ODS code)').fill('Y62');
    await page.getByLabel('First month').fill('2018-10');
    await page.getByLabel('Last month').fill('2019-09');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL(/org=Y62/);
    await expect
      .poll(() => page.locator('.nhsuk-inset-text').first().textContent())
      .toContain('did not exist before 1 April 2019');
    await page.getByRole('link', { name: "Today's structure" }).click();
    await page.waitForURL(/structure=as-now/);
    await expect
      .poll(() => page.locator('table').first().locator('tbody tr').first().textContent())
      .toMatch(/October 2018\s*\d/);
    await expectAccessible(page, '12-metric-region-as-now');
  });

  it('shows the NHS error pattern for a bad month', async () => {
    await page.getByLabel('First month').fill('2019-13');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary a').getAttribute('href')).toBe('#metric-from');
    await expect.poll(() => page.title()).toMatch(/^Error: /);
  });

  it('draws the figures as a chart that downloads as SVG and PNG', async () => {
    await page.goto(`${app.baseUrl}/metrics/ae_4h_all?org=QOP`);
    await expect.poll(() => page.getByTestId('spc-plot').locator(':scope > svg').count()).toBe(1);
    await guideShot(page, '07-metric');
    await guideShot(page, '08-chart', page.locator('figure.app-chart'));
    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download chart (SVG)' }).click(),
    ]);
    expect(svg.suggestedFilename()).toBe('ae_4h_all-QOP.svg');
    const svgText = await readDownload(svg);
    expect(svgText.toString('utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download chart (PNG)' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('ae_4h_all-QOP.png');
    expect((await readDownload(png)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('downloads the figures as CSV', async () => {
    await page.goto(`${app.baseUrl}/metrics/ae_attendances?org=QOP`);
    const href = await page.getByRole('link', { name: 'Download these figures (CSV)' }).getAttribute('href');
    const response = await page.request.get(`${app.baseUrl}${href}`);
    expect(response.headers()['content-type']).toContain('text/csv');
    expect((await response.text()).split('\r\n')[0]).toBe(
      'aggregate,period_start,period,value,numerator,denominator,reported,expected,not_reported,definition_version',
    );
  });

  it("shows an organisation's latest figures on its page", async () => {
    await page.goto(`${app.baseUrl}/organisations/QOP`);
    await expect.poll(() => page.locator('#latest-figures').isVisible()).toBe(true);
    expect(
      await page.locator('#latest-figures + *').getByRole('link', { name: 'Vacancy rate' }).isVisible(),
    ).toBe(true);
    // The ICB read with its members: a row per trust, then the ICB as a whole.
    await expect
      .poll(() => page.getByTestId('member-figures').locator('tbody tr').count())
      .toBeGreaterThan(2);
    expect(await page.getByTestId('member-figures').locator('tbody tr').last().textContent()).toContain(
      '(all members)',
    );
    await expectAccessible(page, '13-icb-latest-figures');
    await guideShot(page, '06-icb-members', page.getByTestId('member-figures'));

    // The board report for the ICB: a summary matrix, then each domain's measures with their icons.
    await page.getByRole('link', { name: /Integrated performance report/ }).click();
    await page.waitForURL(/\/organisations\/QOP\/report/);
    await expect.poll(() => page.getByTestId('report-matrix').isVisible()).toBe(true);
    expect(await page.getByTestId('report-section').count()).toBeGreaterThan(1);
    expect(await page.getByRole('img', { name: /^Variation: / }).count()).toBeGreaterThan(3);
    await expectAccessible(page, '15-report');
    await guideShot(page, '15-report');
  });

  it('lists imports', async () => {
    await page.goto(`${app.baseUrl}/imports`);
    await expect.poll(() => page.getByText('generated demonstration figures').isVisible()).toBe(true);
    await expectAccessible(page, '14-imports');
  });

  it('logged no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
