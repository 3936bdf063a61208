import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
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
 * One return through the whole workflow in a real browser: a trust's data submitter uploads a CSV (a bad
 * value first, located by row and column), the ICB lead approves it, the regional team returns it for
 * correction with a reason, the submitter finds it in the inbox, corrects it (explaining a data-quality
 * warning) and resubmits, the ICB approves again and the region accepts: the versions show what changed
 * and which version reporting uses.
 */

const password = 'correct horse battery staple';
const template = 'ae-type1-test';
const items = ['ae_attendances_type1', 'ae_breaches_4h_type1', 'ae_emergency_admissions_type1'] as const;
const people = {
  submitter: 'sam@nhs.test',
  icb: 'iris@nhs.test',
  region: 'rory@nhs.test',
};

describe('a return through approval, correction and acceptance in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let returnId = '';
  let period = '';
  const failures: string[] = [];

  beforeAll(async () => {
    const today = new Date().toISOString().slice(0, 10);
    app = await startApp(async (handle) => {
      const db = handle.db;
      await buildTrust(db, {
        odsCode: 'TWA01',
        name: 'Wren Acute NHS Trust',
        parentCode: 'QKK',
        date: '2016-04-01',
      });
      await createTemplate(
        db,
        systemActor,
        {
          code: template,
          name: 'Type 1 A&E (test)',
          periodType: 'month',
          organisationKinds: ['nhs-trust'],
          items: [...items],
          // Opens on the last day of the month, so the month just ended is always in the inbox.
          schedule: { opensAfterDays: 0, softDeadlineDays: 15, hardCloseDays: 45 },
          rules: {
            items: {},
            checks: [
              {
                code: 'breaches-within-attendances',
                expression: 'ae_breaches_4h_type1 <= ae_attendances_type1',
                message: 'Breaches cannot exceed attendances',
                severity: 'error',
              },
              {
                code: 'admissions-under-half',
                expression: 'ae_emergency_admissions_type1 <= ae_attendances_type1 * 0.5',
                message: 'Emergency admissions are usually under half of attendances',
                severity: 'warning',
              },
            ],
          },
        },
        today,
      );
      await activateTemplate(db, systemActor, template, '2024-04-01', today);
      const grants: Array<[string, string, 'trust-data-submitter' | 'icb-lead' | 'regional-team', string]> = [
        [people.submitter, 'Sam Submitter', 'trust-data-submitter', 'TWA01'],
        [people.icb, 'Iris ICB', 'icb-lead', 'QKK'],
        [people.region, 'Rory Region', 'regional-team', 'Y56'],
      ];
      for (const [email, name, role, scopeCode] of grants) {
        const account = await createUser(db, systemActor, { email, name, password });
        await grantRole(db, systemActor, { userId: account.id, role, scopeCode }, today);
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

  async function returnCsv(values: Record<(typeof items)[number], string>): Promise<Buffer> {
    const catalogue = (await (await page.request.get(`${app.baseUrl}/api/metrics`)).json()) as {
      items: Array<{ code: string; name: string }>;
    };
    const name = (code: string) => catalogue.items.find((i) => i.code === code)?.name ?? '';
    const rows = items.map((item) =>
      [template, 'TWA01', period, item, `"${name(item)}"`, values[item], ''].join(','),
    );
    return Buffer.from(
      ['template,ods_code,period_start,item,item_name,value,explanation', ...rows].join('\n'),
    );
  }

  const status = () => page.getByTestId('return-status').textContent();

  it('lets the submitter upload a CSV return, showing a bad value by row and column first', async () => {
    await signInAs(page, app.baseUrl, { email: people.submitter, password }, '/returns/new');
    await page.getByLabel('Template').selectOption(template);
    period = await page.getByLabel('Period').inputValue();
    expect(period).toMatch(/^\d{4}-\d\d-01$/);
    expect(await page.getByTestId('return-values').getByRole('textbox').count()).toBe(items.length);
    await expect
      .poll(() => page.getByTestId('blank-template').getByRole('link', { name: 'CSV' }).getAttribute('href'))
      .toBe(`/api/templates/${template}/download?format=csv&org=TWA01&period=${period}`);
    await expectAccessible(page, '60-submit-return');

    await page.getByLabel('Return file').setInputFiles({
      name: 'twa01-return.csv',
      mimeType: 'text/csv',
      buffer: await returnCsv({
        ae_attendances_type1: 'lots',
        ae_breaches_4h_type1: '400',
        ae_emergency_admissions_type1: '1000',
      }),
    });
    await page.getByRole('button', { name: 'Upload and submit' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('twa01-return.csv, row 2, column value');
    expect(await page.getByTestId('file-problems').locator('tbody tr').count()).toBe(1);
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(page, '61-submit-return-file-error');

    await page.getByLabel('Return file').setInputFiles({
      name: 'twa01-return.csv',
      mimeType: 'text/csv',
      buffer: await returnCsv({
        ae_attendances_type1: '5000',
        ae_breaches_4h_type1: '400',
        ae_emergency_admissions_type1: '1000',
      }),
    });
    await page.getByRole('button', { name: 'Upload and submit' }).click();
    await page.waitForURL(/\/returns\/\d+$/);
    returnId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    await expect.poll(status).toContain('Submitted');
    expect(await status()).toContain('waiting for its ICB to approve it');
    expect(await page.getByTestId('return-values').getByRole('cell', { name: '5,000' }).count()).toBe(1);
    // The submitter cannot approve their own return.
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expectAccessible(page, '62-return-submitted');
  });

  it('lets the ICB lead approve it and the regional team return it for correction with a reason', async () => {
    await signInAs(page, app.baseUrl, { email: people.icb, password }, `/returns/${returnId}`);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(status).toContain('Approved by ICB');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    await signInAs(page, app.baseUrl, { email: people.region, password }, `/returns/${returnId}`);
    await expect.poll(() => page.getByRole('button', { name: 'Accept' }).isVisible()).toBe(true);
    // A reason is needed: the error summary says so and links to the box.
    await page.getByRole('button', { name: 'Return for correction' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Enter what the organisation needs to correct');
    await page
      .getByLabel('Reason for returning it')
      .fill('Type 1 attendances look doubled: check the PAS extract.');
    await page.getByRole('button', { name: 'Return for correction' }).click();
    await expect.poll(status).toContain('Returned for correction');
    expect(await page.getByTestId('return-reason').textContent()).toContain('look doubled');
    await expectAccessible(page, '63-return-returned');
  });

  it('shows the submitter the returned return first in the inbox; they correct it, explain a warning and resubmit', async () => {
    await signInAs(page, app.baseUrl, { email: people.submitter, password }, '/organisations/TWA01/inbox');
    const first = page.getByTestId('inbox-table').locator('tbody tr').first();
    await expect.poll(() => first.textContent()).toContain('Returned for correction');
    expect(await page.getByTestId('inbox-lede').textContent()).toContain('returned for correction');
    await first.getByRole('link', { name: /^Correct it/ }).click();
    await page.waitForURL(/\/returns\/new\?id=\d+$/);
    await expect.poll(() => page.getByTestId('correcting').textContent()).toContain('look doubled');
    const attendances = page.getByLabel(/\(ae_attendances_type1\)$/);
    await expect.poll(() => attendances.inputValue()).toBe('5000');
    await attendances.fill('1,800');
    // Admissions are now more than half of attendances: saved as a draft, the warning asks for a reason.
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await expect
      .poll(() => page.getByTestId('draft-saved').textContent())
      .toContain('1 data-quality warning');
    const explanation = page.getByLabel(/^Explanation for /);
    expect(await explanation.count()).toBe(1);
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('No explanation has been given');
    await expectAccessible(page, '64-submit-return-warning');
    await explanation.fill('A major incident on the ring road brought many admissions this month.');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(new RegExp(`/returns/${returnId}$`));
    await expect.poll(status).toContain('Submitted');
  });

  it('lets the ICB approve and the region accept it; the versions show the change and the reporting one', async () => {
    await signInAs(page, app.baseUrl, { email: people.icb, password }, `/returns/${returnId}`);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(status).toContain('Approved by ICB');

    await signInAs(page, app.baseUrl, { email: people.region, password }, `/returns/${returnId}`);
    await page.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(status).toContain('Accepted');
    await expect.poll(() => page.getByTestId('step-done').textContent()).toContain('reporting now uses');

    const versions = page.getByTestId('version');
    await expect.poll(() => versions.count()).toBe(2);
    const latest = versions.first();
    expect(await latest.getByRole('heading', { level: 3 }).textContent()).toBe('Version 2 Reporting');
    expect(await versions.nth(1).getByRole('heading', { level: 3 }).textContent()).toBe('Version 1');
    const change = latest.getByTestId('version-changes').locator('tbody tr');
    expect(await change.count()).toBe(1);
    expect(
      (await change.first().locator('td').allTextContents()).map((text) => text.replace(/\s+/g, ' ')),
    ).toEqual([expect.stringContaining('(ae_attendances_type1)'), '5,000', '1,800']);
    expect(await page.getByTestId('return-exports').getByRole('link').count()).toBe(5);

    await expectAccessible(page, '65-return-accepted');
  });

  it('lets the region lock it; a correction after lock is a resubmission with a reason, reporting unchanged', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect.poll(status).toContain('Locked');

    await signInAs(page, app.baseUrl, { email: people.submitter, password }, `/returns/${returnId}`);
    await page.getByRole('link', { name: 'Correct this return' }).click();
    await page.waitForURL(/\/returns\/new\?id=\d+$/);
    await page.getByLabel(/\(ae_breaches_4h_type1\)$/).fill('350');
    expect(await page.getByRole('button', { name: 'Save as draft' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Resubmit', exact: true }).click();
    await expect
      .poll(() => page.getByText('Enter the reason for the resubmission').count())
      .toBeGreaterThan(0);
    await page.getByLabel('Reason for resubmission').fill('Breaches were double counted on one day.');
    await page.getByRole('button', { name: 'Resubmit', exact: true }).click();
    await page.waitForURL(new RegExp(`/returns/${returnId}$`));
    await expect.poll(status).toContain('Submitted');
    await expect.poll(() => page.getByTestId('version').count()).toBe(3);
    const headings = await page.getByTestId('version').getByRole('heading', { level: 3 }).allTextContents();
    expect(headings).toEqual(['Version 3', 'Version 2 Reporting', 'Version 1']);
    expect(await page.getByTestId('version').first().textContent()).toContain('Breaches were double counted');

    // The bad file, the unexplained warning and the resubmission without a reason were the only refusals.
    expect(failures).toEqual([
      '422 POST /api/submissions/upload',
      '400 PUT /api/submissions',
      '400 PUT /api/submissions',
    ]);
  });
});
