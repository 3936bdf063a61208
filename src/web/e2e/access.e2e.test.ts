import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { createOidcClient, type OidcClient } from '../../services/oidc.service.js';
import { activateTemplate, createTemplate } from '../../services/template.service.js';
import {
  expectAccessible,
  guideShot,
  launchBrowser,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';
import { buildTrust } from '../../../test/factories.js';
import { startIdentityProvider, type LocalIdentityProvider } from '../../../test/oidc-provider.js';

const password = 'correct horse battery staple';

describe('signing in and access in a real browser', () => {
  let app: RunningApp;
  let idp: LocalIdentityProvider;
  let browser: Browser;
  let page: Page;
  let realOidc: OidcClient | null = null;
  // The provider needs our callback address, which is known only once the app listens on its port.
  const oidc: OidcClient = {
    label: 'Test NHS identity',
    start: (returnTo) => (realOidc ? realOidc.start(returnTo) : Promise.reject(new Error('not ready'))),
    complete: (url, state, id) =>
      realOidc ? realOidc.complete(url, state, id) : Promise.reject(new Error('not ready')),
  };
  // Refusals the tests provoke are expected; anything else (and any 5xx) is a fault.
  const failures: string[] = [];

  beforeAll(async () => {
    app = await startApp(
      async (handle) => {
        await buildTrust(handle.db, {
          odsCode: 'TWA01',
          name: 'Wren Acute NHS Trust',
          parentCode: 'QKK',
          date: '2020-04-01',
        });
        await buildTrust(handle.db, {
          odsCode: 'TWB01',
          name: 'Birch Acute NHS Trust',
          parentCode: 'QJK',
          date: '2020-04-01',
        });
        // Returns are made against an active collection template.
        const today = new Date().toISOString().slice(0, 10);
        await createTemplate(
          handle.db,
          systemActor,
          {
            code: 'ae-monthly',
            name: 'A&E attendances',
            periodType: 'month',
            organisationKinds: ['nhs-trust'],
            items: ['ae_attendances_all'],
            schedule: { opensAfterDays: 0, softDeadlineDays: 15, hardCloseDays: 45 },
          },
          today,
        );
        await activateTemplate(handle.db, systemActor, 'ae-monthly', '2024-04-01', today);
      },
      { oidc },
    );
    idp = await startIdentityProvider(`${app.baseUrl}/api/auth/oidc/callback`);
    realOidc = createOidcClient(
      app.handle.db,
      {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        label: 'Test NHS identity',
      },
      app.baseUrl,
    );
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('response', (response) => {
      if (response.status() >= 400 && response.url().startsWith(app.baseUrl))
        failures.push(
          `${response.status()} ${response.request().method()} ${response.url().slice(app.baseUrl.length)}`,
        );
    });
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await app?.close();
  });

  it('sets up the first administrator on a new service, who grants a role and creates a machine token', async () => {
    await page.goto(`${app.baseUrl}/sign-in`);
    await page.getByRole('link', { name: 'Set up the first administrator account' }).click();
    await page.waitForURL(/\/setup$/);
    await expectAccessible(page, '30-setup');
    await page.getByLabel('Full name').fill('Ada Admin');
    await page.getByLabel('Email address').fill('ada@nhs.test');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('12 characters');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/account$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Ada Admin');
    expect(await page.getByText('National director, England').isVisible()).toBe(true);
    await expectAccessible(page, '31-account');
    await guideShot(page, '10-account');

    await page.getByRole('link', { name: 'Manage access' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByLabel('Full name').fill('Sam Submitter');
    await page.getByLabel('Email address').fill('sam@nhs.test');
    await page.getByLabel('Password (optional)').fill(password);
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('link', { name: 'Sam Submitter' }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    await page.getByLabel('Role', { exact: true }).selectOption('trust-data-submitter');
    await page.getByLabel('Scope').fill('QKK');
    await page.getByRole('button', { name: 'Grant role' }).click();
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toMatch(/is granted on an organisation/);
    await page.getByLabel('Scope').fill('TWA01');
    await page.getByRole('button', { name: 'Grant role' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Roles' })
          .getByRole('cell', { name: /Wren Acute NHS Trust/ })
          .count(),
      )
      .toBe(1);
    await expectAccessible(page, '32-admin-user');
    await guideShot(page, '11-manage-access');

    await page.goto(`${app.baseUrl}/admin/tokens`);
    await page.getByLabel('What it is for').fill('Wren PAS feed');
    await page.getByLabel('Organisation (ODS code)').fill('TWA01');
    await page.getByLabel('Templates').fill('ae-monthly');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.getByTestId('new-token').textContent()).toMatch(/ovs_\d+_/);
    await expectAccessible(page, '33-tokens');

    await page.goto(`${app.baseUrl}/admin/audit`);
    await page.getByRole('button', { name: 'Check the chain' }).click();
    await expect
      .poll(() => page.getByTestId('audit-verification').textContent())
      .toContain('The chain is intact');
    expect(await page.getByTestId('audit-row').count()).toBeGreaterThan(4);
    await expectAccessible(page, '34-audit');
    await guideShot(page, '14-audit');
  });

  it('signs a data submitter in with a local account, who submits a return and sees its history', async () => {
    await page.goto(`${app.baseUrl}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    await expect.poll(() => page.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);

    await page.goto(`${app.baseUrl}/sign-in?returnTo=/returns`);
    await guideShot(page, '09-sign-in');
    await page.getByLabel('Email address').fill('sam@nhs.test');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).toContain('not right');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/returns$/);
    await page.getByRole('link', { name: 'Submit a return' }).click();
    await page.getByLabel('Template').selectOption('ae-monthly');
    // A mistake first: the error summary links to the field, which is fixed and the return accepted.
    await page.getByLabel(/\(ae_attendances_all\)$/).fill('lots');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect.poll(() => summary.textContent()).toMatch(/Enter .+ \(ae_attendances_all\) as a number/);
    await expectAccessible(page, '35-submit-return');
    await guideShot(page, '12-submit-return');
    await summary.getByRole('link', { name: /ae_attendances_all/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('value-ae_attendances_all');
    await page.getByLabel(/\(ae_attendances_all\)$/).fill('12,345');
    await page.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(/\/returns\/\d+$/);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/A&E attendances: TWA01, \w+ \d{4}$/);
    expect(await page.getByTestId('return-values').getByRole('cell', { name: '12,345' }).isVisible()).toBe(
      true,
    );
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(0);
    await expectAccessible(page, '36-return');
    await guideShot(page, '13-return');
  });

  it('signs in through the identity provider, and the return stays out of sight of someone with no role', async () => {
    await page.goto(`${app.baseUrl}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    await page.goto(`${app.baseUrl}/sign-in?returnTo=/returns`);
    await page.getByTestId('oidc-sign-in').click();
    // The provider's own development login and consent pages.
    await page.waitForURL(new RegExp(`^${idp.issuer}`));
    await page.locator('input[name="login"]').fill('olivia');
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${app.baseUrl}/returns`);
    await expect.poll(() => page.getByTestId('account-link').textContent()).toBe('Olivia Identity');
    await expect.poll(() => page.getByText('There are no returns you can see').isVisible()).toBe(true);
    await page.goto(`${app.baseUrl}/account`);
    await expect.poll(() => page.getByText('olivia@nhs.test', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Signs in with').isVisible()).toBe(true);
    expect(failures).toEqual(['400 POST /api/setup', '400 POST /api/users/2/roles', '401 POST /api/session']);
  });

  it('refuses to finish a sign-in the browser did not start, in its own words only', async () => {
    await page.goto(
      `${app.baseUrl}/api/auth/oidc/callback?error=access_denied&state=someone-elses&error_description=Call+0800`,
    );
    await page.waitForURL(/\/sign-in\?error=/);
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('provider did not sign you in');
    await page.goto(`${app.baseUrl}/api/auth/oidc/callback?state=someone-elses&code=stolen`);
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Sign-in must finish in the browser that started it');
    await page.goto(
      `${app.baseUrl}/sign-in?error=${encodeURIComponent('Your account is locked: call 0800 000')}`,
    );
    await expect.poll(() => page.locator('.nhsuk-error-summary').textContent()).not.toContain('0800');
  });
});
