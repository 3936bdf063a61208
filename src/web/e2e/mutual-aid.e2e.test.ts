import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { addDays } from '../../domain/iso-date.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import {
  expectAccessible,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';
import { buildTrust } from '../../../test/factories.js';

/**
 * Mutual aid in a real browser: Rowan's board member asks for four adult critical care beds; Birch, in the
 * same ICB (South East London), is ranked first and proposed; Rowan agrees; Birch's board member finds the
 * request on London's board and agrees for Birch, so the aid is agreed by both. Another board member of a
 * trust in the North West does not see the request.
 */

const password = 'correct horse battery staple';
const trusts = { rowan: 'TAE01', birch: 'TAE02', ash: 'TAE03', north: 'TAE04' } as const;
const people = { rowan: 'rowan@nhs.test', birch: 'birch@nhs.test', north: 'north@nhs.test' } as const;

describe('mutual aid in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let requestPath = '';
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    app = await startApp(async (handle) => {
      const db = handle.db;
      await buildTrust(db, {
        odsCode: trusts.rowan,
        name: 'Rowan Hospitals NHS Trust',
        parentCode: 'QKK',
        postcode: 'SE1 7EH',
        date: '2020-04-01',
      });
      await buildTrust(db, {
        odsCode: trusts.birch,
        name: 'Birch Hospitals NHS Trust',
        parentCode: 'QKK',
        postcode: 'BR6 8ND',
        date: '2020-04-01',
      });
      await buildTrust(db, {
        odsCode: trusts.ash,
        name: 'Ash Valley NHS Trust',
        parentCode: 'QWE',
        postcode: 'SW17 0QT',
        date: '2020-04-01',
      });
      await buildTrust(db, {
        odsCode: trusts.north,
        name: 'Northern Hospitals NHS Trust',
        parentCode: 'QOP',
        postcode: 'M13 9WL',
        date: '2020-04-01',
      });
      for (const [email, name, scope] of [
        [people.rowan, 'Rhiannon Rowan', trusts.rowan],
        [people.birch, 'Bilal Birch', trusts.birch],
        [people.north, 'Nadia North', trusts.north],
      ] as const) {
        const account = await createUser(db, systemActor, { email, name, password });
        await grantRole(
          db,
          systemActor,
          { userId: account.id, role: 'trust-board-member', scopeCode: scope },
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

  it("raises a request as one trust's board member, with problems shown first", async () => {
    await signInAs(page, app.baseUrl, { email: people.rowan, password }, '/mutual-aid/new');
    await page.getByRole('button', { name: 'Send the request' }).waitFor();
    await expectAccessible(page, '90-mutual-aid-form');
    await page.getByRole('button', { name: 'Send the request' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toContain('There is a problem');
    expect(await summary.textContent()).toContain('Enter the quantity as a whole number');
    expect(await page.title()).toMatch(/^Error: /);
    await expectAccessible(page, '91-mutual-aid-form-errors');

    await page.getByLabel('Bed type').selectOption({ label: 'Adult critical care' });
    await page.getByLabel('Quantity').fill('4');
    await page.getByLabel('Needed until').fill(addDays(today, 28));
    await page.getByLabel('Urgency').selectOption('critical');
    await page.getByLabel('Why the aid is needed').fill('Critical care surge after a norovirus outbreak.');
    await page.getByRole('button', { name: 'Send the request' }).click();
    await page.waitForURL(/\/mutual-aid\/requests\/\d+$/);
    requestPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByTestId('request-lede').textContent()).toContain('4 still to find');
    // Birch (same ICB) is ranked before Ash (same region) and Northern (England).
    const ranked = page.getByTestId('candidate-organisations').locator('tbody tr');
    await expect.poll(() => ranked.count()).toBe(3);
    expect(await ranked.first().textContent()).toContain('Same ICB');
    expect(await ranked.first().textContent()).toContain(trusts.birch);
    expect(await ranked.nth(2).textContent()).toContain('National');
    await expectAccessible(page, '92-mutual-aid-request');

    await page
      .getByTestId(`candidate-${trusts.birch}`)
      .getByRole('button', { name: /^Propose 4/ })
      .click();
    await expect.poll(() => page.getByTestId('aid-done').textContent()).toContain('You proposed 4');
    await page.getByRole('button', { name: `Agree for ${trusts.rowan}` }).click();
    await expect.poll(() => page.getByTestId('aid-done').textContent()).toContain('You agreed for Rowan');
    expect(await page.getByTestId(`match-${trusts.birch}`).textContent()).toContain('Yes, Rhiannon Rowan');
    expect(await page.getByRole('button', { name: `Agree for ${trusts.birch}` }).count()).toBe(0);
  });

  it("lets the other trust's board member find it on the regional board and accept it", async () => {
    await signInAs(page, app.baseUrl, { email: people.birch, password }, '/mutual-aid');
    await expect.poll(() => page.getByTestId('board-lede').textContent()).toContain('1 open request');
    const row = page.getByTestId('open-requests').locator('tbody tr').first();
    expect(await row.textContent()).toContain('Rowan Hospitals NHS Trust');
    expect(await row.textContent()).toContain('Matched');
    await expectAccessible(page, '93-mutual-aid-board');
    await row.getByRole('link').click();
    await page.waitForURL((url) => url.pathname === requestPath);
    // Birch may agree only for itself.
    expect(await page.getByRole('button', { name: `Agree for ${trusts.rowan}` }).count()).toBe(0);
    await page.getByRole('button', { name: `Agree for ${trusts.birch}` }).click();
    await expect.poll(() => page.getByTestId('request-lede').textContent()).toContain('Agreed');
    expect(await page.getByTestId(`match-${trusts.birch}`).textContent()).toContain('Agreed by both');
    await expectAccessible(page, '94-mutual-aid-agreed');
  });

  it('hides the request from a trust in another region', async () => {
    await signInAs(page, app.baseUrl, { email: people.north, password }, '/mutual-aid');
    await expect.poll(() => page.getByTestId('board-lede').textContent()).toContain('North West');
    expect(await page.getByTestId('board-lede').textContent()).toContain('no open requests');
    await page.goto(`${app.baseUrl}${requestPath}`);
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('or you do not have access to it');
  });
});
