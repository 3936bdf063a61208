import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/access.js';
import { systemActor } from '../../domain/audit.js';
import type { PlanFlow } from '../../domain/planning.js';
import { createUser, grantRole, principalForEmail } from '../../services/identity.service.js';
import { createRound, savePlan, setEnvelope } from '../../services/planning.service.js';
import { advanceSubmission, saveSubmission } from '../../services/submission.service.js';
import { activateTemplate, createTemplate } from '../../services/template.service.js';
import {
  expectAccessible,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';
import { buildTrust } from '../../../test/factories.js';

/**
 * One planning round in a real browser. Three trusts of South East London (QKK) and the ICB have submitted
 * plans; the system falls £5,100k short of its envelope (one trust's deficit, and income another counts
 * that the ICB does not plan to pay). The ICB lead returns Wren's plan for correction; Wren's data submitter
 * revises it (less non-pay, fewer A&E attendances than the envelope expects, a new service) and submits:
 * Wren's surplus improves by £2,400k but the system's position worsens by £1,900k, so the ICB lead sees the
 * gap grow to £7,000k and the revision flagged. The region sees the system in London and moves its control
 * total; plan against actual shows Wren's 4-hour performance off trajectory. Figures in £000s.
 */

const password = 'correct horse battery staple';
const round = '2026-27';
const trusts = { wren: 'TPL01', ash: 'TPL02', birch: 'TPL03' } as const;
const people = {
  submitter: 'wendy@nhs.test',
  icb: 'ivan@nhs.test',
  region: 'rhona@nhs.test',
};
const monthly = (annual: number) => Array.from({ length: 12 }, () => annual / 12);
const acute = (counterparty: string, activity: number, price: number): PlanFlow => ({
  counterparty,
  serviceLine: 'Acute services',
  activity,
  price,
});
const trustPlan = (finance: [number, number, number], attendances: number, flows: PlanFlow[]) => ({
  values: {
    fin_income: monthly(finance[0]),
    fin_pay_expenditure: monthly(finance[1]),
    fin_non_pay_expenditure: monthly(finance[2]),
    ae_attendances_all: monthly(attendances),
    ae_breaches_4h_all: monthly(attendances / 10),
  },
  flows,
});

describe('a plan revised in a real browser, and what it does to its system', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const failures: string[] = [];

  beforeAll(async () => {
    const today = new Date().toISOString().slice(0, 10);
    app = await startApp(async (handle) => {
      const db = handle.db;
      const names = { wren: 'Wren Acute', ash: 'Ash Valley', birch: 'Birch Community' } as const;
      for (const [key, odsCode] of Object.entries(trusts))
        await buildTrust(db, {
          odsCode,
          name: `${names[key as keyof typeof names]} NHS Trust`,
          parentCode: 'QKK',
          date: '2020-04-01',
        });
      const grants: Array<[string, string, 'trust-data-submitter' | 'icb-lead' | 'regional-team', string]> = [
        [people.submitter, 'Wendy Submitter', 'trust-data-submitter', trusts.wren],
        [people.icb, 'Ivan ICB', 'icb-lead', 'QKK'],
        [people.region, 'Rhona Region', 'regional-team', 'Y56'],
      ];
      for (const [email, name, role, scopeCode] of grants) {
        const account = await createUser(db, systemActor, { email, name, password });
        await grantRole(db, systemActor, { userId: account.id, role, scopeCode }, today);
      }
      await createRound(
        db,
        systemActor,
        {
          code: round,
          name: 'Operational and financial planning 2026/27',
          yearStart: '2026-04-01',
          items: {
            'nhs-trust': [
              'fin_income',
              'fin_pay_expenditure',
              'fin_non_pay_expenditure',
              'ae_attendances_all',
              'ae_breaches_4h_all',
            ],
            icb: ['fin_income', 'fin_pay_expenditure', 'fin_non_pay_expenditure'],
          },
          opens: '2026-01-05',
          deadline: '2027-01-29',
          closes: '2027-03-31',
        },
        today,
      );
      const region = await principalForEmail(db, people.region);
      await setEnvelope(db, { principal: region, actor: systemActor }, round, 'QKK', {
        controlTotal: 0,
        activity: [{ item: 'ae_attendances_all', quantity: 30_000, unitCost: 3.5 }],
      });
      // Set-up submits for every trust: a submitter (and ICB lead) for all of England.
      const setUp: Principal = {
        kind: 'user',
        userId: 0,
        label: 'set-up',
        isAdmin: false,
        grants: [
          { role: 'trust-data-submitter', scopeOrganisationId: null },
          { role: 'icb-lead', scopeOrganisationId: null },
          { role: 'regional-team', scopeOrganisationId: null },
        ],
        functions: [],
      };
      const submit = (odsCode: string, content: unknown) =>
        savePlan(db, setUp, { round, odsCode, content, submit: true }, null);
      await submit(trusts.wren, trustPlan([120_000, 84_000, 36_000], 12_000, [acute('QKK', 12_000, 8)]));
      await submit(trusts.ash, trustPlan([96_000, 66_000, 33_000], 9_600, [acute('QKK', 9_600, 7.5)]));
      await submit(trusts.birch, trustPlan([60_000, 42_000, 18_000], 8_400, [acute('QKK', 8_400, 6)]));
      await submit('QKK', {
        values: {
          fin_income: monthly(240_000),
          fin_pay_expenditure: monthly(0),
          fin_non_pay_expenditure: monthly(240_000),
        },
        flows: [
          acute(trusts.wren, 12_000, 8),
          acute(trusts.ash, 9_600, 7.5),
          acute(trusts.birch, 8_400, 5.75),
        ],
      });

      // Actuals for Wren, April to June, from accepted returns: 75% within 4 hours against a plan of 90%.
      await createTemplate(
        db,
        systemActor,
        {
          code: 'ae-plan-actuals',
          name: 'A&E (planning test)',
          periodType: 'month',
          organisationKinds: ['nhs-trust'],
          items: ['ae_attendances_all', 'ae_breaches_4h_all'],
          schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
        },
        today,
      );
      await activateTemplate(db, systemActor, 'ae-plan-actuals', '2026-04-01', today);
      for (const periodStart of ['2026-04-01', '2026-05-01', '2026-06-01']) {
        const made = await saveSubmission(
          db,
          setUp,
          {
            template: 'ae-plan-actuals',
            odsCode: trusts.wren,
            periodStart,
            values: { ae_attendances_all: 1000, ae_breaches_4h_all: 250 },
            submit: true,
          },
          null,
        );
        await advanceSubmission(db, setUp, made.id, 'approve', null, null);
        await advanceSubmission(db, setUp, made.id, 'accept', null, null);
      }
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

  const gapFigure = () => page.getByTestId('gap-figure').textContent();
  const planStatus = () => page.getByTestId('plan-status').textContent();
  const systemPage = `/planning/${round}/systems/QKK`;
  const wrenPlan = `/planning/${round}/plans/${trusts.wren}`;

  it('shows the ICB lead the gap and what makes it, and lets them return a plan for correction', async () => {
    await signInAs(page, app.baseUrl, { email: people.icb, password }, '/planning');
    await expect.poll(() => page.getByTestId('rounds-lede').textContent()).toContain('One round is open');
    expect(await page.getByTestId('rounds-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('own-plans').getByRole('link', { name: 'system against its envelope' }).click();
    await page.waitForURL(new RegExp(`${systemPage}$`));
    await expect.poll(gapFigure).toBe('−£5,100k');
    const lede = await page.getByTestId('system-gap').textContent();
    expect(lede).toContain('Not affordable');
    expect(lede).toContain('fall £5,100k short of the control total of £0k');
    expect(await page.getByTestId('flagged-revisions').count()).toBe(0);
    // Ash's deficit and the income Birch counts that the ICB does not plan to pay.
    expect(await page.getByTestId('drivers-table').locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('£3,000k'),
      expect.stringContaining('£2,100k'),
    ]);
    expect(await page.getByTestId('gap-drivers-chart').locator('svg').count()).toBe(1);
    const mismatches = page.getByTestId('mismatches').locator('tbody tr');
    expect(await mismatches.count()).toBe(1);
    expect(await mismatches.first().textContent()).toContain('+£2,100k');
    // ICB leads do not set envelopes.
    expect(await page.getByTestId('envelope-form').count()).toBe(0);

    await page
      .getByTestId(`member-${trusts.wren}`)
      .getByRole('link', { name: 'Wren Acute NHS Trust' })
      .click();
    await page.waitForURL(new RegExp(`${wrenPlan}$`));
    await expect.poll(planStatus).toContain('Submitted');
    expect(await page.getByTestId('plan-form').count()).toBe(0);
    await page.getByRole('button', { name: 'Return for correction' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Enter what the organisation needs to correct');
    await page.getByLabel('Reason for returning it').fill('Revise for the system savings programme.');
    await page.getByRole('button', { name: 'Return for correction' }).click();
    await expect.poll(planStatus).toContain('Returned for correction');
    expect(await page.getByTestId('plan-done').textContent()).toContain('You returned the plan');
  });

  it('lets the trust submitter revise the trajectories and services and submit, showing problems by field first', async () => {
    await signInAs(page, app.baseUrl, { email: people.submitter, password }, wrenPlan);
    await expect.poll(planStatus).toContain('Returned for correction');
    expect(await page.getByTestId('plan-returned-reason').textContent()).toContain('savings programme');
    const form = page.getByTestId('plan-form');
    await expect.poll(() => page.locator('#value-fin_non_pay_expenditure-0').inputValue()).toBe('3000');
    await expectAccessible(page, '80-plan-form');

    const copyAcross = (item: string) =>
      form
        .getByRole('row')
        .filter({ has: page.locator(`#value-${item}-0`) })
        .getByRole('button', { name: /^Copy April to every month/ })
        .click();
    // £2,400k less non-pay over the year, and 1,200 fewer A&E attendances than before.
    await page.getByLabel('Non-pay expenditure, April 2026').fill('2,800');
    await copyAcross('fin_non_pay_expenditure');
    await page.getByLabel('A&E attendances, all types, April 2026').fill('900');
    await copyAcross('ae_attendances_all');
    expect(await page.locator('#value-ae_attendances_all-11').inputValue()).toBe('900');
    expect(await page.getByTestId('year-fin_non_pay_expenditure').textContent()).toBe('£33,600k');
    await page.locator('#flow-0-activity').fill('10800');
    await page.getByRole('button', { name: 'Add a service' }).click();
    await page.locator('#flow-1-counterparty').fill('ZZZ99');
    await page.locator('#flow-1-serviceLine').fill('Outpatient follow-ups');
    await page.locator('#flow-1-activity').fill('1000');
    await page.locator('#flow-1-price').fill('0.1');
    await page
      .getByLabel('Reason for the revision (optional)')
      .fill('Savings programme: fewer agency staff.');
    await page.getByRole('button', { name: 'Submit plan' }).click();

    const summary = page.locator('.nhsuk-error-summary');
    await expect
      .poll(() => summary.textContent())
      .toContain('ZZZ99 is not an organisation open in the planning year');
    expect(await page.locator('#flow-1-counterparty-error').textContent()).toContain('ZZZ99');
    expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#flow-1-counterparty');
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(page, '81-plan-form-error');

    await page.locator('#flow-1-counterparty').fill('QKK');
    await page.getByRole('button', { name: 'Submit plan' }).click();
    await expect.poll(() => page.getByTestId('plan-done').textContent()).toContain('You submitted version 2');
    await expect.poll(planStatus).toContain('Submitted');
    const impact = page.getByTestId('revision-impact');
    expect(await impact.textContent()).toContain('The latest revision worsens the system');
    expect(await impact.textContent()).toContain(
      "improves Wren Acute NHS Trust's position by +£2,400k but worsens the system's by −£1,900k",
    );
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
    expect(await page.getByTestId('plan-versions').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('plan-versions').locator('tbody tr').first().textContent()).toContain(
      'fewer agency staff',
    );
  });

  it('shows the ICB lead the wider gap and the flagged revision', async () => {
    await signInAs(page, app.baseUrl, { email: people.icb, password }, systemPage);
    await expect.poll(gapFigure).toBe('−£7,000k');
    const flagged = page.getByTestId('flagged-revisions');
    expect(await flagged.textContent()).toContain('Wren Acute NHS Trust (TPL01)');
    expect(await flagged.textContent()).toContain("worsens the system's by −£1,900k");
    const wren = page.getByTestId(`member-${trusts.wren}`);
    expect(await wren.textContent()).toContain('Worsens the system');
    expect(await wren.textContent()).toContain('Organisation +£2,400k; system −£1,900k');
    // The activity short of the envelope's expectation is now a driver, and the changed services mismatch.
    expect(await page.getByTestId('drivers-table').textContent()).toContain('£4,200k');
    expect(await page.getByTestId('mismatches').locator('tbody tr').count()).toBe(3);
    await expectAccessible(page, '82-system-affordability');
  });

  it('shows the region its systems, and lets it move the control total', async () => {
    await signInAs(page, app.baseUrl, { email: people.region, password }, `/planning/${round}`);
    const row = page.getByTestId('system-QKK');
    await expect.poll(() => row.textContent()).toContain('−£7,000k');
    expect(await row.textContent()).toContain('Not affordable');
    expect(await page.getByLabel('Show the systems of').inputValue()).toBe('Y56');
    expect(await page.getByTestId('round-lede').textContent()).toMatch(/^In London, 1 of 1 system/);
    await expectAccessible(page, '83-planning-round');

    // Another ICB has not started its own plan: the region reads that, with no form.
    await page.goto(`${app.baseUrl}/planning/${round}/plans/QMF`);
    await expect.poll(planStatus).toContain('QMF has not started its 2026-27 plan');
    expect(await page.getByTestId('plan-form').count()).toBe(0);

    await page.goto(`${app.baseUrl}/planning/${round}`);
    await row.getByRole('link', { name: /South East London/ }).click();
    await page.waitForURL(new RegExp(`${systemPage}$`));
    await expect.poll(gapFigure).toBe('−£7,000k');
    await page.getByLabel('Control total (£000s)').fill('-7,000');
    await page.getByRole('button', { name: 'Save the envelope' }).click();
    await expect.poll(() => page.getByTestId('envelope-saved').count()).toBe(1);
    await expect.poll(gapFigure).toBe('£0k');
    expect(await page.getByTestId('system-gap').textContent()).toContain('Affordable');
  });

  it('shows plan against actual, with the 4-hour measure off trajectory', async () => {
    await signInAs(
      page,
      app.baseUrl,
      { email: people.submitter, password },
      `/planning/${round}/variance/${trusts.wren}`,
    );
    const fourHours = page.getByTestId('metric-ae_4h_all');
    await expect.poll(() => fourHours.textContent()).toContain('Off trajectory');
    expect(await fourHours.textContent()).toContain(
      'June 2026: actual 75.0% against a plan of 88.9% (−13.9%)',
    );
    expect(await fourHours.getByTestId('plan-actual-chart').locator('svg').count()).toBe(1);
    expect(await page.getByTestId('variance-lede').textContent()).toContain('Actuals to June 2026');
    await expectAccessible(page, '84-plan-against-actual');

    // The only refusals were the ones the test provoked (pages read again once they know who is signed in).
    expect([...new Set(failures)]).toEqual([
      `400 PUT /api/planning/rounds/${round}/plans/${trusts.wren}`,
      `404 GET /api/planning/rounds/${round}/plans/QMF`,
    ]);
  });
});
