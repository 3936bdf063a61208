import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser, startApp, type RunningApp } from '../../../test/browser.js';

describe('benchmarking in a real browser', () => {
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

  it('goes from a trust’s rank among all trusts to its benchmark, England-wide and among peers', async () => {
    await page.goto(`${app.baseUrl}/organisations/QOP`);
    const trustLink = page.locator('table', { hasText: 'NHS trusts' }).first().locator('tbody a').first();
    await trustLink.click();
    await page.waitForURL(/\/organisations\/Z/);
    const trust = /\/organisations\/(Z\w+)/.exec(page.url())?.[1] ?? '';
    await expect.poll(() => page.locator('#benchmark-heading').isVisible()).toBe(true);
    await page
      .locator('#benchmark-heading ~ * tbody tr')
      .first()
      .getByRole('link', { name: /\d+ of \d+/ })
      .click();
    await page.waitForURL(new RegExp(`/metrics/\\w+/benchmark\\?org=${trust}&period=`));
    await expect
      .poll(() => page.locator('.nhsuk-lede-text').textContent())
      .toMatch(/ in \w+ \d{4}: \d+ of \d+ NHS trusts in England \(median /);
    expect(await page.locator('h1').textContent()).toMatch(/^Benchmark: /);
    expect(await page.locator('#england-heading').textContent()).toBe('Among all NHS trusts in England');
    const england = page.locator('#england-heading ~ .nhsuk-summary-list');
    for (const key of [
      'Value',
      'Median',
      'Middle half (quartiles)',
      'Rank',
      'Quarter',
      'Distance to the best quarter',
    ])
      expect(await england.getByText(key, { exact: true }).count()).toBe(1);
    // "All of the same kind" by default: every trust with a value is a peer, this one among them.
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('table tbody tr', { hasText: 'this organisation' }).count()).toBe(1);
    await expectAccessible(page, 'benchmark-01-all-trusts');
  });

  it('changes the peers to the same sector and to the most similar trusts', async () => {
    await page.getByLabel('The same sector').check();
    await page.getByRole('button', { name: 'Show benchmark' }).click();
    await page.waitForURL(/peers=sector/);
    await expect
      .poll(() => page.locator('#peers-heading + p').textContent())
      .toMatch(/^(Acute|Mental health|Community|Ambulance|Specialist) NHS trusts\.$/);

    // Similar on the metric itself: the trust has a value of it, having been ranked on it.
    const metricName = ((await page.locator('.nhsuk-caption-l a').textContent()) ?? '').trim();
    await page.getByLabel('The most similar').check();
    await page.getByLabel(metricName, { exact: true }).check();
    await page.getByLabel('How many to compare with').fill('3');
    await page.getByRole('button', { name: 'Show benchmark' }).click();
    await page.waitForURL(/peers=nearest.*attributes=\w+&k=3/);
    await expect
      .poll(() => page.locator('#peers-heading + p').textContent())
      .toMatch(/^The 3 NHS trusts nearest on /);
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(4);
    expect(await page.getByRole('columnheader', { name: 'Distance' }).count()).toBe(1);
    await expectAccessible(page, 'benchmark-02-nearest');
  });

  it('shows the NHS error pattern when the most similar is chosen without measures', async () => {
    await page
      .getByLabel(((await page.locator('.nhsuk-caption-l a').textContent()) ?? '').trim(), { exact: true })
      .uncheck();
    await page.getByRole('button', { name: 'Show benchmark' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await page.locator('.nhsuk-error-summary a').textContent()).toContain(
      'Choose at least one measure',
    );
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(page, 'benchmark-03-error');
  });

  it('compares an ICB with ICBs, reached from the metric page', async () => {
    await page.goto(`${app.baseUrl}/metrics/ae_4h_all?org=QOP`);
    await page.getByRole('link', { name: /^Benchmark .+ against peers$/ }).click();
    await page.waitForURL(/\/metrics\/ae_4h_all\/benchmark\?org=QOP/);
    await expect
      .poll(() => page.locator('.nhsuk-lede-text').textContent())
      .toMatch(/\d+ of 42 integrated care boards \(ICBs\) in England/);
    await expectAccessible(page, 'benchmark-04-icb');
    expect(consoleErrors).toEqual([]);
  });
});
