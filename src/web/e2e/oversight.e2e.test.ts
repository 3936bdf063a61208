import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { loadDemoDataset } from '../../services/demo.service.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { getSegmentation, type SegmentRow } from '../../services/segmentation.service.js';
import {
  expectAccessible,
  guideShot,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';

const password = 'correct horse battery staple';

describe('oversight segments in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let segmentFour: SegmentRow;
  const failures: string[] = [];

  beforeAll(async () => {
    app = await startApp(async (handle) => {
      await loadDemoDataset(handle);
      const today = new Date().toISOString().slice(0, 10);
      const segmentation = await getSegmentation(handle.db, { methodologyCode: 'nof-2025-26', today });
      const found = segmentation.rows.find((r) => r.segment === 4 && r.regionCode !== null);
      if (!found) throw new Error('the demo has no trust in segment 4');
      segmentFour = found;
      const account = await createUser(handle.db, systemActor, {
        email: 'rita@nhs.test',
        name: 'Rita Regional',
        password,
      });
      await grantRole(
        handle.db,
        systemActor,
        { userId: account.id, role: 'regional-director', scopeCode: found.regionCode ?? '' },
        today,
      );
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('response', (response) => {
      if (response.status() >= 500 && response.url().startsWith(app.baseUrl))
        failures.push(`${response.status()} ${response.url().slice(app.baseUrl.length)}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows how many trusts are in each segment and every trust type’s league table with drivers', async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('link', { name: 'Oversight', exact: true }).click();
    await page.waitForURL(/\/oversight$/);
    await expect
      .poll(() => page.getByTestId('segment-lede').textContent())
      .toMatch(
        /^In Q\d \d{4}\/\d\d, \d+ of \d+ trusts are in segment 4 or 5 under NHS Oversight Framework 2025\/26/,
      );
    expect(await page.getByTestId('segment-league').count()).toBeGreaterThanOrEqual(3);
    const acute = page.getByTestId('segment-league').filter({ hasText: 'Acute trusts' });
    expect(await acute.locator('tbody tr').count()).toBeGreaterThan(20);
    await expect.poll(() => acute.locator('tbody tr').first().locator('td').first().textContent()).toBe('1');
    await expectAccessible(page, '40-oversight-segments');
    await guideShot(page, '16-oversight-segments');
    // The 2026/27 style segments ICBs too.
    await page.getByLabel('Methodology').selectOption('nof-2026-27');
    await page.getByLabel('Who is segmented').selectOption('icb');
    await expect
      .poll(() => page.getByTestId('segment-lede').textContent())
      .toMatch(/of 42 ICBs are in segment 4 or 5/);
  });

  it('explains one trust’s segment: scores, overrides, drivers with SPC icons and the change', async () => {
    await page.goto(`${app.baseUrl}/organisations/${segmentFour.odsCode}`);
    await expect.poll(() => page.getByTestId('oversight-position').textContent()).toContain('Segment 4');
    await page.getByRole('link', { name: 'What drives the segment' }).click();
    await page.waitForURL(/\/oversight$/);
    await expect.poll(() => page.getByTestId('oversight-lede').textContent()).toMatch(/^Segment 4: /);
    expect(await page.getByTestId('segment-drivers').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(
      await page
        .getByTestId('segment-drivers')
        .getByRole('img', { name: /^Variation: / })
        .count(),
    ).toBeGreaterThan(0);
    expect(await page.getByTestId('segment-metrics').locator('tbody tr').count()).toBe(4 + 4);
    // Only regional and national directors are offered the judgement form.
    expect(await page.getByRole('heading', { name: 'Record a regional judgement' }).count()).toBe(0);
    await expectAccessible(page, '41-oversight-trust');
    await guideShot(page, '17-oversight-trust');
  });

  it('lets the regional director place the trust in segment 5, with a reason, and says why a reason is needed', async () => {
    await signInAs(
      page,
      app.baseUrl,
      { email: 'rita@nhs.test', password },
      `/organisations/${segmentFour.odsCode}/oversight`,
    );
    await expect
      .poll(() => page.getByRole('heading', { name: 'Record a regional judgement' }).isVisible())
      .toBe(true);
    await page.getByLabel('Segment', { exact: true }).selectOption('5');
    await page.getByLabel('Reason').fill('Too short');
    await page.getByRole('button', { name: 'Record judgement' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('at least 10 characters');
    await expectAccessible(page, '42-oversight-judgement-error');
    await page.getByLabel('Reason').fill('Capability review: enters the Provider Improvement Programme.');
    await page.getByRole('button', { name: 'Record judgement' }).click();
    await expect.poll(() => page.getByTestId('oversight-lede').textContent()).toMatch(/^Segment 5: /);
    await expect
      .poll(() => page.locator('.nhsuk-summary-list').first().textContent())
      .toContain('Segment 5 (computed 4): Capability review: enters the Provider Improvement Programme.');
    await expect
      .poll(() => page.locator('.nhsuk-summary-list').first().textContent())
      .toContain('Rita Regional');
  });

  it('shows an ICB beside its member trusts, and a region beside its ICBs', async () => {
    await page.goto(`${app.baseUrl}/organisations/${segmentFour.icbCode}/oversight?methodology=nof-2026-27`);
    await expect
      .poll(() => page.getByTestId('oversight-lede').textContent())
      .toMatch(/^\d+ trusts; \d+ in segment 4 or 5\. The ICB itself is in segment \d/);
    expect(await page.getByTestId('oversight-objectives').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('oversight-trusts').getByText(segmentFour.name).count()).toBe(1);
    await expectAccessible(page, '43-oversight-icb');
    await guideShot(page, '18-oversight-icb');
    await page.goto(`${app.baseUrl}/organisations/${segmentFour.regionCode}/oversight`);
    await expect
      .poll(() => page.getByTestId('oversight-areas').locator('tbody tr').count())
      .toBeGreaterThan(2);
    await expectAccessible(page, '44-oversight-region');
  });

  it('puts the segment and its drivers in the board report', async () => {
    await page.goto(`${app.baseUrl}/organisations/${segmentFour.odsCode}/report`);
    await expect.poll(() => page.getByTestId('report-segment').textContent()).toContain('Segment 5');
    await expect.poll(() => page.getByTestId('report-segment').textContent()).toContain('What drives it');
    await expectAccessible(page, '45-report-segment');
    expect(failures).toEqual([]);
  });

  it('lists the data collections, their lineage, and the burden on a trust', async () => {
    await page.goto(`${app.baseUrl}/returns`);
    await page.getByRole('link', { name: 'Data collections' }).click();
    await page.waitForURL(/\/collections$/);
    await expect
      .poll(() => page.getByTestId('templates-lede').textContent())
      .toContain('5 active collection templates; every item they collect is used by a metric.');
    expect(await page.getByTestId('templates-table').locator('tbody tr').count()).toBe(6);
    await expect.poll(() => page.getByTestId('templates-table').textContent()).toContain('Draft');
    expect(await page.getByTestId('lineage-table').locator('tbody tr').count()).toBeGreaterThan(20);
    await expectAccessible(page, '46-collections');
    // Signed in as a regional director: who in the region has made the A&E return.
    await page.getByRole('link', { name: 'A&E attendances and emergency admissions' }).click();
    await page.waitForURL(/\/collections\/ae-monthly$/);
    await expect
      .poll(() => page.getByTestId('coverage-lede').textContent())
      .toMatch(/^\d+ of \d+ made the return, \d+ by the deadline/);
    // The demo's A&E returns stand at every step of the workflow: timeliness and completeness per return.
    await expect
      .poll(() => page.getByTestId('coverage-quality').textContent())
      .toMatch(/^\d+ of \d+ returns made give every item asked; \d+ ha(s|ve) been accepted by the region/);
    expect(await page.getByTestId('coverage-regions').locator('tbody tr').count()).toBe(1);
    await expectAccessible(page, '48-coverage');
    await page.goto(`${app.baseUrl}/organisations/${segmentFour.odsCode}`);
    await expect
      .poll(() => page.getByTestId('burden').textContent())
      .toMatch(/^Asked of it in \d{4}\/\d\d: 60 returns, /);
    // Signed in as the regional director, whose region covers the trust: its one inbox.
    await page.getByRole('link', { name: 'Inbox: every return asked of it' }).click();
    await page.waitForURL(/\/inbox$/);
    // Five monthly returns for three months; a London trust also has this year's plan, and every trust
    // the demo's four comply-or-explain standards.
    const rows = page.getByTestId('inbox-table').locator('tbody tr');
    await expect
      .poll(() => rows.filter({ hasNotText: 'Plan for' }).filter({ hasNotText: 'Does not close' }).count())
      .toBe(15);
    await expect.poll(() => rows.filter({ hasText: 'Does not close' }).count()).toBe(4);
    await expect
      .poll(() => page.getByTestId('inbox-lede').textContent())
      .toMatch(/outstanding|Nothing is outstanding/);
    await expectAccessible(page, '47-inbox');
  });
});
