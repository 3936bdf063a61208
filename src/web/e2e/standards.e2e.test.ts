import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { addDays } from '../../domain/iso-date.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { createStandard, publishStandard } from '../../services/standard.service.js';
import {
  expectAccessible,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';
import { buildTrust } from '../../../test/factories.js';

/**
 * Comply or explain in a real browser: a trust board member signs in, opens the trust's inbox, follows the
 * declaration item, explains without a plan (the error summary says what is missing and links to it), adds
 * a dated action, and sees the declaration recorded — in the inbox, on the standard's page, with its version.
 */

const password = 'correct horse battery staple';
const board = 'bea@nhs.test';
const otherBoard = 'owen@nhs.test';
const standardCode = 'ftsu-e2e';
const title = 'Freedom to Speak Up board self-review';

describe('a trust board member explains against a standard from the inbox', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const nextYear = String(new Date().getUTCFullYear() + 1);

  beforeAll(async () => {
    const today = new Date().toISOString().slice(0, 10);
    app = await startApp(async (handle) => {
      const db = handle.db;
      await buildTrust(db, {
        odsCode: 'TWB01',
        name: 'Willow Acute NHS Trust',
        parentCode: 'QKK',
        date: '2016-04-01',
      });
      await buildTrust(db, {
        odsCode: 'TWB02',
        name: 'Hazel Community NHS Trust',
        parentCode: 'QKK',
        date: '2016-04-01',
      });
      const operator = { principal: null, actor: systemActor };
      await createStandard(
        db,
        operator,
        {
          code: standardCode,
          title,
          owner: 'National Guardian’s Office',
          organisationKinds: ['nhs-trust', 'icb'],
          evidenceAsked: 'The completed self-reflection tool',
          effectiveFrom: addDays(today, -60),
          declarationsDue: addDays(today, -7),
        },
        today,
      );
      await publishStandard(db, operator, standardCode, today);
      for (const [email, name, scopeCode] of [
        [board, 'Bea Board', 'TWB01'],
        [otherBoard, 'Owen Other', 'TWB02'],
      ] as const) {
        const account = await createUser(db, systemActor, { email, name, password });
        await grantRole(
          db,
          systemActor,
          { userId: account.id, role: 'trust-board-member', scopeCode },
          today,
        );
      }
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('makes an explain declaration with a plan from the inbox, after a located error', async () => {
    await signInAs(page, app.baseUrl, { email: board, password }, '/organisations/TWB01/inbox');
    const row = page.getByTestId('inbox-table').getByRole('row', { name: new RegExp(title) });
    await expect.poll(() => row.textContent()).toContain('Overdue');
    expect(await page.getByTestId('inbox-lede').textContent()).toContain(
      '1 comply-or-explain declaration is outstanding.',
    );
    await expectAccessible(page, 'standards-01-inbox');

    await row.getByRole('link', { name: /Make the declaration/ }).click();
    await page.waitForURL((url) => url.pathname === `/organisations/TWB01/declarations/${standardCode}`);
    await expect.poll(() => page.getByTestId('declaration-lede').textContent()).toContain('Overdue');
    await expectAccessible(page, 'standards-02-declaration-form');

    // Explain without a plan: nothing is stored, and the summary links to the missing action.
    await page.getByLabel('Explain', { exact: true }).check();
    await page
      .getByLabel('Why the board does not comply')
      .fill('Our guardian post has been vacant since March.');
    await page.getByRole('button', { name: 'Make the declaration' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('Add at least one action to the plan');
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    expect(await summary.getByRole('link', { name: /Add at least one action/ }).getAttribute('href')).toBe(
      '#plan-0-description',
    );
    await expectAccessible(page, 'standards-03-declaration-error');

    const action = page.getByTestId('plan-action-0');
    await action.getByLabel('What will be done').fill('Appoint a substantive guardian');
    await action.getByLabel('Who owns it').fill('Chief people officer');
    await action.getByLabel('Day').fill('30');
    await action.getByLabel('Month').fill('9');
    await action.getByLabel('Year').fill(nextYear);
    await page.getByRole('button', { name: 'Make the declaration' }).click();

    await expect
      .poll(() => page.getByTestId('declaration-recorded').textContent())
      .toContain('explains: version 1');
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
    expect(await page.getByTestId('declaration-lede').textContent()).toContain(
      'explains against this standard',
    );
    expect(await page.getByTestId('declared-plan').textContent()).toContain(
      `Appoint a substantive guardian — Chief people officer, by 30 September ${nextYear}`,
    );
    expect(await page.getByTestId('declaration-history').locator('tbody tr').count()).toBe(1);
    await expectAccessible(page, 'standards-04-declaration-recorded');

    // The inbox now shows it done, as an explanation.
    await page.goto(`${app.baseUrl}/organisations/TWB01/inbox`);
    const done = page.getByTestId('inbox-table').getByRole('row', { name: new RegExp(title) });
    await expect.poll(() => done.textContent()).toContain('Declared: explains');
    // The inbox reloads once the session is known; wait for the link rather than read it once.
    await expect
      .poll(() => done.getByRole('link', { name: /See or revise the declaration/ }).count())
      .toBe(1);
  });

  it('shows the standard with adoption, the overdue, and the declaration to its own board only', async () => {
    await page.goto(`${app.baseUrl}/standards`);
    await expect.poll(() => page.getByTestId('standards-table').textContent()).toContain(title);
    await expectAccessible(page, 'standards-05-register');

    await page.getByRole('link', { name: title }).click();
    await page.waitForURL((url) => url.pathname === `/standards/${standardCode}`);
    const icbRow = page.getByTestId('adoption-icbs').getByRole('row', { name: /South East London/ });
    // South East London: its two test trusts and itself are asked; one has explained.
    await expect
      .poll(() => icbRow.locator('td').allTextContents())
      .toEqual(['London', '3', '0', '1', '0', '2', '2', '33.3%']);
    expect(await page.getByTestId('overdue-table').textContent()).toContain('Hazel Community NHS Trust');
    const declared = page.getByTestId('declarations-table');
    expect(await declared.textContent()).toContain('Willow Acute NHS Trust');
    expect(await declared.textContent()).toContain('Not published');
    await expectAccessible(page, 'standards-06-standard');

    // Another trust's board member sees that Willow declared, not what it said.
    await signInAs(page, app.baseUrl, { email: otherBoard, password }, `/standards/${standardCode}`);
    await expect.poll(() => page.getByTestId('standard-lede').textContent()).toContain('1 not yet published');
    expect(await page.getByTestId('declarations-table').count()).toBe(0);
  });
});
