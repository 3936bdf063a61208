import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantFunction, grantRole } from '../../services/identity.service.js';
import { recordIntervention } from '../../services/intervention.service.js';
import {
  expectAccessible,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';
import { loadSegmentationExample } from '../../../test/oversight.js';

/**
 * The chain of accountability in a real browser. T4's A&E 4-hour performance falls from 85% to 70% in April
 * 2025 (test/oversight.ts). London's regional director follows the special cause from the metric page to
 * what it led to (nothing yet), records an intervention from it leading to a national programme, reviews
 * it, and finds it from the signal again. An undertaking taken under the provider licence stays out of the
 * register for that director, who has no grant for the function.
 */

const password = 'correct horse battery staple';
const director = 'rosa@nhs.test';

describe('an intervention recorded from a signal in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let t4 = '';

  beforeAll(async () => {
    const today = new Date().toISOString().slice(0, 10);
    app = await startApp(async (handle) => {
      const db = handle.db;
      t4 = (await loadSegmentationExample(handle))[3] ?? '';
      await db
        .insertInto('programme')
        .values({
          code: 'e2e-uec',
          name: 'Urgent care recovery (test)',
          sponsor: 'NHS Executive Group',
          national_director: 'National Director for Urgent and Emergency Care',
          scope: 'Recovery of A&E performance.',
          stage: 'in-delivery',
          created_by: 'test',
        })
        .execute();
      const account = await createUser(db, systemActor, { email: director, name: 'Rosa Region', password });
      await grantRole(
        db,
        systemActor,
        { userId: account.id, role: 'regional-director', scopeCode: 'Y56' },
        today,
      );
      const licensing = await createUser(db, systemActor, {
        email: 'lee@nhs.test',
        name: 'Lee Licensing',
        password,
      });
      await grantRole(
        db,
        systemActor,
        { userId: licensing.id, role: 'regional-director', scopeCode: 'Y56' },
        today,
      );
      await grantFunction(
        db,
        systemActor,
        { userId: licensing.id, statutoryFunction: 'provider-licensing' },
        today,
      );
      await recordIntervention(
        db,
        { principal: null, actor: systemActor },
        {
          organisation: t4,
          kind: 'enforcement-undertakings',
          statutoryFunction: 'provider-licensing',
          title: 'Licence undertakings on governance',
          owner: 'Provider licensing lead',
          signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-05-01' },
          openedOn: '2025-07-01',
          nextReview: '2025-10-01',
          exitCriteria: 'Governance review complete',
        },
        today,
      );
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('follows a special cause from the metric page to an intervention and a programme, and back', async () => {
    await signInAs(page, app.baseUrl, { email: director, password }, '/interventions');
    // The undertaking of the provider-licensing function is not in this director's register.
    await expect
      .poll(() => page.getByTestId('interventions-lede').textContent())
      .toMatch(/No open interventions/);
    expect(await page.getByText('Licence undertakings on governance').count()).toBe(0);
    await expectAccessible(page, 'interventions-register');

    await page.goto(`${app.baseUrl}/metrics/ae_4h_all?org=${t4}&from=2023-07-01&to=2025-06-01`);
    await page
      .getByTestId('signal-links')
      .getByRole('link', { name: 'April 2025: what this signal led to' })
      .click();
    await page.waitForURL((url) => url.pathname === '/chain');
    await expect
      .poll(() => page.getByTestId('chain-lede').textContent())
      .toMatch(/no intervention you can see/);
    await expect
      .poll(() => page.getByTestId('chain').textContent())
      .toMatch(/was 70.0% in April 2025: a special cause of concern/);
    await expectAccessible(page, 'chain-before');

    await page.getByRole('button', { name: 'Record an intervention from this signal' }).click();
    await page.waitForURL((url) => url.pathname === '/interventions/new');
    expect(await page.getByLabel('Organisation (ODS code)').inputValue()).toBe(t4);
    expect(await page.getByLabel('Metric code').inputValue()).toBe('ae_4h_all');
    // Saving without the required fields shows each problem beside its field.
    await page.getByRole('button', { name: 'Record the intervention' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toMatch(/enter a title/);
    await expectAccessible(page, 'intervention-form-errors');
    await page.getByLabel('Title', { exact: true }).fill('Urgent care recovery support');
    await page.getByLabel('Owner').fill('Director of Transformation, London');
    await page.getByLabel('Starts on').fill('2025-07-14');
    await page.getByLabel('Next review').fill('2025-10-14');
    await page.getByLabel('Exit criteria').fill('Four-hour performance at 78% or more for three months');
    await page.getByLabel('National programme it leads to').selectOption('e2e-uec');
    await page.getByRole('button', { name: 'Record the intervention' }).click();
    await page.waitForURL((url) => /^\/interventions\/\d+$/.test(url.pathname));
    await expect
      .poll(() => page.getByTestId('intervention-lede').textContent())
      .toMatch(/Enhanced oversight since 14 July 2025/);
    const chain = page.getByTestId('chain');
    await expect
      .poll(() => chain.textContent())
      .toMatch(/Urgent care recovery support \(this intervention\)/);
    expect(await chain.getByRole('link', { name: 'Urgent care recovery (test)' }).count()).toBe(1);
    await expectAccessible(page, 'intervention');

    await page.getByLabel('Date of the review').fill('2025-08-14');
    await page.getByLabel('What the review found').fill('Streaming in place; 72% in July.');
    await page.getByLabel('Next review', { exact: true }).last().fill('2025-11-14');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await expect
      .poll(() => page.getByTestId('reviews').textContent())
      .toMatch(/Streaming in place; 72% in July/);

    // Back from the signal: the chain now names the intervention and the programme it led to.
    await page
      .getByTestId('chain')
      .getByRole('link', { name: /What this signal led to/ })
      .first()
      .click();
    await page.waitForURL((url) => url.pathname === '/chain');
    await expect
      .poll(() => page.getByTestId('chain-lede').textContent())
      .toMatch(/1 intervention recorded from this signal/);
    expect(
      await page.getByTestId('chain').getByRole('link', { name: 'Urgent care recovery support' }).count(),
    ).toBe(1);
  });
});
