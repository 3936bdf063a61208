import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessible,
  guideShot,
  launchBrowser,
  screenshot,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';

describe('browsing the NHS hierarchy in a real browser', () => {
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

  it('goes England → region → ICB → trust, with breadcrumbs and the demo banner', async () => {
    await page.goto(app.baseUrl);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^The NHS in England on /);
    await expect.poll(() => page.getByTestId('demo-banner').isVisible()).toBe(true);
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(7);
    // The schematic map: 7 regions holding the 42 ICBs; then the regions side by side, with England.
    const map = page.getByRole('navigation', { name: 'Map of regions and integrated care systems' });
    expect(await map.getByRole('link').count()).toBe(7 + 42);
    await expect.poll(() => page.getByTestId('member-figures').locator('tbody tr').count()).toBe(8);
    expect(await page.getByTestId('member-figures').locator('thead th').count()).toBeGreaterThan(2);
    await expectAccessible(page, '01-england');
    await guideShot(page, '01-england');
    await guideShot(page, '02-map', map);
    await guideShot(page, '03-regions-side-by-side', page.getByTestId('member-figures'));

    await page.getByRole('link', { name: 'North West', exact: true }).first().click();
    await page.waitForURL(/\/organisations\/Y62/);
    await expect.poll(() => page.locator('h1').textContent()).toContain('North West');
    expect(await page.getByText('Regional director').first().isVisible()).toBe(true);
    await expectAccessible(page, '02-region');

    await page.getByRole('link', { name: 'NHS Greater Manchester Integrated Care Board' }).first().click();
    await page.waitForURL(/\/organisations\/QOP/);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Greater Manchester');
    await expectAccessible(page, '03-icb');
    await guideShot(page, '04-icb');

    const trustLink = page.locator('table', { hasText: 'NHS trusts' }).first().locator('tbody a').first();
    const trustName = (await trustLink.textContent()) ?? '';
    await trustLink.click();
    await page.waitForURL(/\/organisations\/Z/);
    await expect.poll(() => page.locator('h1').textContent()).toContain(trustName.trim());
    const crumbs = await page.locator('.nhsuk-breadcrumb__list a').allTextContents();
    expect(crumbs.map((c) => c.trim())).toEqual([
      'England',
      'North West',
      'NHS Greater Manchester Integrated Care Board',
    ]);
    // Its trend (a year before) and its place among all trusts.
    await expect.poll(() => page.locator('#latest-figures').isVisible()).toBe(true);
    expect(await page.getByRole('columnheader', { name: 'A year before' }).count()).toBe(1);
    await expect.poll(() => page.locator('#benchmark-heading').isVisible()).toBe(true);
    expect(await page.locator('#benchmark-heading + * tbody tr').first().textContent()).toMatch(/\d+ of \d+/);
    await expectAccessible(page, '04-trust');
    await guideShot(page, '05-trust');
  });

  it('replays the hierarchy before the 2019 restructure from the as-at control', async () => {
    await page.goto(`${app.baseUrl}/organisations/QOP`);
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('2019');
    await page.getByRole('button', { name: 'Show this date' }).click();
    await page.waitForURL(/asAt=2019-03-31/);
    await expect.poll(() => page.locator('.nhsuk-lede-text').textContent()).toContain('North of England');
    expect(await page.locator('h1').textContent()).toContain('Greater Manchester STP/ICS');
    await expectAccessible(page, '05-icb-before-2019');

    await page.getByRole('link', { name: 'Seven regions (1 April 2019)' }).click();
    await page.waitForURL(/asAt=2019-04-01/);
    await expect.poll(() => page.locator('.nhsuk-lede-text').textContent()).toContain('North West');
  });

  it('shows the NHS error pattern for an impossible date, linked to the field', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.getByLabel('Day').fill('30');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2019');
    await page.getByRole('button', { name: 'Show this date' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.locator('a').getAttribute('href')).toBe('#as-at-day');
    expect(await page.locator('.nhsuk-error-message').textContent()).toContain('real date');
    await expectAccessible(page, '06-date-error');
  });

  it('finds an organisation by name from the header search', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.locator('#search-field').fill('Devon');
    await page.locator('#search-field').press('Enter');
    await page.waitForURL(/\/search\?q=Devon/);
    await expect
      .poll(() => page.getByRole('link', { name: 'NHS Devon Integrated Care Board' }).isVisible())
      .toBe(true);
    await expectAccessible(page, '07-search');
  });

  it("lists restructures, and maps history onto today's structure", async () => {
    await page.goto(`${app.baseUrl}/hierarchy/events?type=split`);
    await expect.poll(() => page.locator('caption').first().textContent()).toMatch(/\d+ changes?/);
    expect(await page.getByText('North of England').first().isVisible()).toBe(true);
    await expectAccessible(page, '08-restructures');

    await page.goto(`${app.baseUrl}/hierarchy/as-now?asAt=2019-03-31`);
    await expect.poll(() => page.locator('.app-tree').first().isVisible()).toBe(true);
    expect(await page.getByText('formerly').count()).toBeGreaterThan(0);
    await expectAccessible(page, '09-as-now');
  });

  it('works at 320 pixels wide without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`${app.baseUrl}/organisations/QOP`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Greater Manchester');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '10-icb-320px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('logged no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
