import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import {
  expectAccessible,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';
import { buildTrust } from '../../../test/factories.js';
import { importStatisticsFile } from '../../../test/statistics.js';

/**
 * National programmes in a real browser, on the seeded programmes. A&E figures for September 2025 put
 * England at 80.5% against the urgent and emergency care trajectory of 80% that month (London 76.0%, the
 * North West 85.0%). The national director moves the programme to under review with a reason, after the
 * page has asked for the missing choice, and records the review's outcome, which sends it back into
 * delivery; the London regional director records London's contribution and is offered no stage form.
 */

const password = 'correct horse battery staple';
const people = { director: 'nadia@nhs.test', region: 'rory@nhs.test' };
const uecPage = '/programmes/urgent-emergency-care';

describe('national programmes in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const failures: string[] = [];

  beforeAll(async () => {
    const today = new Date().toISOString().slice(0, 10);
    app = await startApp(async (handle) => {
      const db = handle.db;
      for (const [email, name, role, scopeCode] of [
        [people.director, 'Nadia Director', 'national-director', undefined],
        [people.region, 'Rory Region', 'regional-director', 'Y56'],
      ] as const) {
        const account = await createUser(db, systemActor, { email, name, password });
        await grantRole(db, systemActor, { userId: account.id, role, scopeCode }, today);
      }
      const london = await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' });
      const northWest = await buildTrust(db, { parentCode: 'QE1', date: '2020-04-01' });
      const file = join(mkdtempSync(join(tmpdir(), 'programmes-e2e-')), 'ae.csv');
      writeFileSync(
        file,
        [
          'period,org_code,data_item,value',
          `2025-09-01,${london},ae_attendances_all,1000`,
          `2025-09-01,${london},ae_breaches_4h_all,240`,
          `2025-09-01,${northWest},ae_attendances_all,1000`,
          `2025-09-01,${northWest},ae_breaches_4h_all,150`,
        ].join('\n'),
      );
      await importStatisticsFile(handle, 'observations', file);
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('response', (response) => {
      if (response.status() >= 400 && response.url().startsWith(app.baseUrl))
        failures.push(
          `${response.status()} ${response.request().method()} ${response.url().slice(app.baseUrl.length).split('?')[0]}`,
        );
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const lede = () => page.getByTestId('programme-lede').textContent();

  it('shows anyone every programme by stage, and the trajectory figures of one', async () => {
    await page.goto(`${app.baseUrl}/programmes`);
    await expect
      .poll(() => page.getByTestId('programmes-lede').textContent())
      .toBe('4 national programmes: 4 in delivery. No milestone is overdue.');
    expect(await page.getByTestId('programmes-in-delivery').locator('tbody tr').count()).toBe(4);
    expect(await page.title()).toBe('National programmes – NHS Oversight');
    await expectAccessible(page, '90-programmes');

    await page.getByRole('link', { name: 'Urgent and emergency care, with winter planning' }).click();
    await page.waitForURL(new RegExp(`${uecPage}$`));
    await expect
      .poll(() => page.getByTestId('metric-sentence-ae_4h_all').textContent())
      .toBe(
        'England: 80.5% in September 2025 against a trajectory of 80.0%: on trajectory (+0.5%). 1 of 7 regions is off trajectory.',
      );
    const london = await page
      .getByTestId('metric-table-ae_4h_all')
      .getByTestId('metric-row-Y56')
      .textContent();
    expect(london).toContain('76.0%');
    expect(london).toContain('−4.0%');
    expect(london).toContain('Off trajectory');
    expect(
      await page.getByTestId('metric-ae_4h_all').getByTestId('trajectory-chart').locator('svg').count(),
    ).toBe(1);
    // The public reads, but has no forms.
    expect(await page.getByTestId('stage-form').count()).toBe(0);
    expect(await page.getByTestId('contribution-form').count()).toBe(0);
    expect(await page.getByTestId('programme-interventions').textContent()).toContain('No intervention');
    await expectAccessible(page, '91-programme-public');
  });

  it('lets a national director move the programme to under review with a reason and record the review', async () => {
    await signInAs(page, app.baseUrl, { email: people.director, password }, uecPage);
    await expect.poll(lede).toContain('In delivery');
    const form = page.getByTestId('stage-form');
    await form.getByLabel('Reason for the move').fill('Quarterly review of winter performance.');
    await form.getByRole('button', { name: 'Move the programme' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('Choose the stage to move to');
    expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#stage-to');
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(page, '92-programme-stage-error');

    await form.getByLabel('Under review').check();
    await form.getByRole('button', { name: 'Move the programme' }).click();
    await expect.poll(lede).toContain('Under review');
    expect(await page.getByTestId('programme-done').textContent()).toContain(
      'You moved the programme to under review.',
    );
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
    expect(await page.getByTestId('programme-history').locator('tbody tr').last().textContent()).toContain(
      'Quarterly review of winter performance.',
    );

    const review = page.getByTestId('review-form');
    await review.getByLabel('Outcome of the review').fill('Add ambulance handovers to the scope.');
    await review.getByLabel('Continue with changes').check();
    await review.getByRole('button', { name: 'Record the review' }).click();
    await expect.poll(lede).toContain('In delivery');
    expect(await page.getByTestId('programme-done').textContent()).toContain('back in delivery');
    const held = await page.getByTestId('programme-reviews').locator('tbody tr').first().textContent();
    expect(held).toContain('Held');
    expect(held).toContain('Continue with changes');
    expect(held).toContain('Add ambulance handovers to the scope.');
    expect(await page.getByTestId('programme-history').locator('tbody tr').count()).toBe(3);
    await expectAccessible(page, '93-programme-reviewed');
  });

  it("lets a regional director record their region's contribution, with no national forms", async () => {
    await signInAs(page, app.baseUrl, { email: people.region, password }, uecPage);
    const form = page.getByTestId('contribution-form');
    await expect.poll(() => form.count()).toBe(1);
    expect(await page.getByTestId('stage-form').count()).toBe(0);
    expect(await page.getByTestId('milestone-form').count()).toBe(0);
    // Their region and its ICBs, and nobody else's.
    const options = await form.getByLabel('Region or ICB').locator('option').allTextContents();
    expect(options[0]).toBe('London (region)');
    expect(options).toContain('NHS South East London Integrated Care Board (ICB)');
    expect(options.some((o) => o.includes('Lancashire'))).toBe(false);
    await form.getByLabel('What it will contribute').fill('Winter plans assured for every London ICB.');
    await form.getByLabel('On track').check();
    await form.getByRole('button', { name: 'Save the contribution' }).click();
    await expect
      .poll(() => page.getByTestId('programme-done').textContent())
      .toContain('You recorded the contribution of London.');
    const row = page.getByTestId('contributions-regions').getByTestId('contribution-Y56');
    expect(await row.textContent()).toContain('Winter plans assured for every London ICB.');
    expect(await row.textContent()).toContain('On track');
    await expectAccessible(page, '94-programme-contribution');

    // The only refusal was the one the test provoked (the interventions list is another part's API).
    expect([...new Set(failures.filter((f) => !f.includes('/api/interventions')))]).toEqual([
      '400 POST /api/programmes/urgent-emergency-care/stage',
    ]);
  });
});
