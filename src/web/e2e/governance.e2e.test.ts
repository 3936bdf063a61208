import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit.js';
import { addDays } from '../../domain/iso-date.js';
import { scheduleMeeting } from '../../services/governance.service.js';
import { createUser, grantRole, principalForEmail } from '../../services/identity.service.js';
import {
  expectAccessible,
  launchBrowser,
  signInAs,
  startApp,
  type RunningApp,
} from '../../../test/browser.js';

/**
 * The NHS Executive Group in a real browser: a national director records a decision at a meeting held three
 * days ago, linked to the cancer programme, and adds an action whose owner's due date has passed. The public
 * sees the meeting but not the decision until the director publishes it; then it sees the decision, its link
 * to the programme and the overdue action. Then the director adds a member (refused first, beside the field,
 * for an ODS code that names no organisation), ends the membership (refused first for an end before its
 * start), adds a paper and publishes it, and cancels a meeting scheduled for later. Every page is checked
 * with axe.
 */

const password = 'correct horse battery staple';
const director = 'nadia@nhs.test';

describe('a governance decision recorded and published in a real browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let meetingPath = '';
  const today = new Date().toISOString().slice(0, 10);
  const meetsOn = addDays(today, -3);

  beforeAll(async () => {
    app = await startApp(async (handle) => {
      const db = handle.db;
      const account = await createUser(db, systemActor, {
        email: director,
        name: 'Nadia National',
        password,
      });
      await grantRole(db, systemActor, { userId: account.id, role: 'national-director' }, today);
      const meeting = await scheduleMeeting(
        db,
        { principal: await principalForEmail(db, director), actor: systemActor },
        'nhs-executive-group',
        { meetsOn, title: 'NHS Executive Group, browser test', location: 'virtual' },
        today,
      );
      meetingPath = `/governance/nhs-executive-group/meetings/${meeting.id}`;
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets a national director record a decision linked to a programme, with an action and its owner', async () => {
    await signInAs(page, app.baseUrl, { email: director, password }, meetingPath);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('NHS Executive Group, browser test');
    const form = page.getByTestId('decision-form');
    // An empty decision is refused with the error summary, linked to the field.
    await form.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').count()).toBe(1);
    expect(await page.locator('.nhsuk-error-summary a[href="#decision-text"]').count()).toBe(1);
    expect(await page.title()).toMatch(/^NHS Executive Group, browser test/);
    await expectAccessible(page, 'governance-decision-error');

    await form.getByLabel('What was decided').fill('Adopt the cancer recovery trajectory for every region');
    await form.getByLabel('Programme it concerns (optional)').selectOption('cancer');
    await form.getByRole('button', { name: 'Record decision' }).click();
    const decision = page
      .locator('section[data-testid^="decision-"]')
      .filter({ hasText: 'Adopt the cancer recovery' });
    await expect.poll(() => decision.count()).toBe(1);
    expect(await decision.textContent()).toContain('Not published');
    expect(await decision.getByRole('link', { name: /cancer/i }).getAttribute('href')).toBe(
      '/programmes/cancer',
    );

    await decision.getByText(/Add an action to decision/).click();
    await decision.getByLabel('What is to be done').fill('Send each region its share of the trajectory');
    await decision.getByLabel('Owner').fill('Demo National Cancer Director');
    await decision.getByLabel('Due date').fill(meetsOn);
    await decision.getByRole('button', { name: 'Add action' }).click();
    const row = decision.getByTestId('actions-table').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('Demo National Cancer Director');
    expect(await row.first().textContent()).toContain('Overdue by 3 days');
    await expect.poll(() => page.getByTestId('meeting-lede').textContent()).toContain('1 overdue');
    await expectAccessible(page, 'governance-meeting-director');
  });

  it('shows the public the meeting but not the decision until it is published', async () => {
    await page.context().clearCookies();
    await page.goto(`${app.baseUrl}${meetingPath}`);
    await expect
      .poll(() => page.getByTestId('meeting-lede').textContent())
      .toBe('No decisions are shown for this meeting.');
    expect(await page.getByTestId('decision-form').count()).toBe(0);
    await expectAccessible(page, 'governance-meeting-public-before');

    await signInAs(page, app.baseUrl, { email: director, password }, meetingPath);
    await page.getByRole('button', { name: /^Publish decision/ }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Publish decision/ }).count()).toBe(0);

    await page.context().clearCookies();
    await page.goto(`${app.baseUrl}${meetingPath}`);
    const decision = page
      .locator('section[data-testid^="decision-"]')
      .filter({ hasText: 'Adopt the cancer recovery' });
    await expect.poll(() => decision.count()).toBe(1);
    expect(await decision.textContent()).toContain('Published');
    expect(await decision.getByRole('link', { name: /cancer/i }).getAttribute('href')).toBe(
      '/programmes/cancer',
    );
    expect(await decision.getByTestId('actions-table').textContent()).toContain(
      'Demo National Cancer Director',
    );
    expect(await page.getByRole('button', { name: 'Mark completed' }).count()).toBe(0);
    await expectAccessible(page, 'governance-meeting-public-after');

    await page.goto(`${app.baseUrl}/governance`);
    await expect.poll(() => page.getByTestId('overdue-count').textContent()).toBe('1 action is overdue.');
    expect(await page.getByTestId('bodies-table').locator('tbody tr').count()).toBe(9);
    await expectAccessible(page, 'governance-bodies');

    await page.getByRole('link', { name: 'NHS Executive Group' }).click();
    await page.waitForURL(/\/governance\/nhs-executive-group$/);
    await expect.poll(() => page.getByTestId('meetings-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('schedule-form').count()).toBe(0);
    expect(await page.getByTestId('member-form').count()).toBe(0);
    expect(await page.getByTestId('end-member-form').count()).toBe(0);
    await expectAccessible(page, 'governance-body');
  });

  it('lets a national director add and end a membership, with errors beside the fields', async () => {
    const bodyPath = '/governance/nhs-executive-group';
    await signInAs(page, app.baseUrl, { email: director, password }, bodyPath);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('NHS Executive Group');
    const form = page.getByTestId('member-form');

    // Unanswered choices are asked for beside their radios.
    await form.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').count()).toBe(1);
    expect(await page.locator('.nhsuk-error-summary a[href="#member-position"]').count()).toBe(1);
    expect(await page.locator('#member-represents-error').textContent()).toContain(
      'Choose whether the member represents an organisation or a sector',
    );

    // An ODS code that names no organisation is refused by the server, beside the code.
    await form.getByLabel('Name').fill('Priya Example');
    await form.getByLabel('Member', { exact: true }).check();
    await form.getByLabel('An organisation').check();
    await form.getByLabel('ODS code of the organisation').fill('ZZZ99');
    await form.getByLabel('Member from').fill(today);
    await form.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.locator('#member-organisation-error').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('#member-organisation-error').textContent()).toContain(
      'ZZZ99 is not an organisation open on',
    );
    expect(await page.locator('.nhsuk-error-summary a[href="#member-organisation"]').count()).toBe(1);
    expect(await page.locator('#member-organisation').getAttribute('aria-describedby')).toContain(
      'member-organisation-error',
    );
    await expectAccessible(page, 'governance-member-error');

    await form.getByLabel('ODS code of the organisation').fill('y56');
    await form.getByRole('button', { name: 'Add member' }).click();
    const members = page.getByTestId('members-table');
    await expect.poll(() => members.textContent()).toContain('Priya Example');
    expect(await members.locator('tr', { hasText: 'Priya Example' }).textContent()).toContain('London (Y56)');
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);

    // A member from a sector, chosen from the domain's list.
    await form.getByLabel('Name').fill('Sam Sector');
    await form.getByLabel('Member', { exact: true }).check();
    await form.getByLabel('A sector').check();
    await form.getByLabel('Sector', { exact: true }).selectOption('patient');
    await form.getByLabel('Member from').fill(today);
    await form.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => members.textContent()).toContain('Sam Sector');
    expect(await members.locator('tr', { hasText: 'Sam Sector' }).textContent()).toContain(
      'National patient organisations',
    );

    // A membership cannot end before it starts.
    const end = page.getByTestId('end-member-form');
    const priya = await end.locator('option', { hasText: 'Priya Example' }).getAttribute('value');
    await end.getByLabel('Member', { exact: true }).selectOption(priya ?? '');
    await end.getByLabel('First day no longer a member').fill(addDays(today, -1));
    await end.getByRole('button', { name: 'End membership' }).click();
    await expect.poll(() => page.locator('#end-member-date-error').count()).toBe(1);
    expect(await page.locator('#end-member-date-error').textContent()).toContain('enter a date after');
    expect(await page.locator('.nhsuk-error-summary a[href="#end-member-date"]').count()).toBe(1);
    await expectAccessible(page, 'governance-end-member-error');

    await end.getByLabel('First day no longer a member').fill(addDays(today, 30));
    await end.getByRole('button', { name: 'End membership' }).click();
    await expect.poll(() => page.locator('#end-member option', { hasText: 'Priya Example' }).count()).toBe(0);
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);

    await page.goto(`${app.baseUrl}${bodyPath}?asAt=${addDays(today, 30)}`);
    await expect.poll(() => page.getByTestId('members-table').textContent()).toContain('Sam Sector');
    expect(await page.getByTestId('members-table').textContent()).not.toContain('Priya Example');
    await expectAccessible(page, 'governance-body-director');
  });

  it('lets a national director add and publish a paper, and cancel a meeting not yet held', async () => {
    await signInAs(page, app.baseUrl, { email: director, password }, meetingPath);
    const form = page.getByTestId('paper-form');
    await expect.poll(() => form.count()).toBe(1);
    // The meeting was held three days ago: its status is final.
    expect(await page.getByTestId('meeting-status').count()).toBe(0);

    await form.getByLabel('Title').fill('Cancer recovery: regional shares');
    await form.getByRole('button', { name: 'Add paper' }).click();
    await expect.poll(() => page.locator('#paper-author-error').count()).toBe(1);
    expect(await page.locator('#paper-summary-error').textContent()).toContain(
      'enter a summary of the paper',
    );
    expect(await page.locator('.nhsuk-error-summary a[href="#paper-author"]').count()).toBe(1);
    await expectAccessible(page, 'governance-paper-error');

    await form.getByLabel('Author').fill('National Cancer Director');
    await form.getByLabel('Summary').fill('How the trajectory is shared between the seven regions.');
    await form.getByRole('button', { name: 'Add paper' }).click();
    const papers = page.getByTestId('papers-table');
    const row = papers.locator('tbody tr', { hasText: 'Cancer recovery: regional shares' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Not published');
    await expectAccessible(page, 'governance-meeting-paper');

    await row.getByRole('button', { name: /^Publish paper/ }).click();
    await expect.poll(() => row.getByRole('button', { name: /^Publish paper/ }).count()).toBe(0);
    expect(await row.textContent()).toContain('Published');

    await page.context().clearCookies();
    await page.goto(`${app.baseUrl}${meetingPath}`);
    await expect.poll(() => page.getByTestId('papers-table').textContent()).toContain('regional shares');
    expect(await page.getByTestId('paper-form').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Publish paper/ }).count()).toBe(0);

    // A meeting scheduled for later can be cancelled, not yet recorded as held.
    const bodyPath = '/governance/nhs-executive-group';
    await signInAs(page, app.baseUrl, { email: director, password }, bodyPath);
    const schedule = page.getByTestId('schedule-form');
    await schedule.getByLabel('Date').fill(addDays(today, 14));
    await schedule.getByLabel('Title').fill('NHS Executive Group, to be cancelled');
    await schedule.getByRole('button', { name: 'Schedule meeting' }).click();
    await page.getByRole('link', { name: 'NHS Executive Group, to be cancelled' }).click();
    await page.waitForURL(/\/meetings\/\d+$/);
    const status = page.getByTestId('meeting-status');
    await expect.poll(() => status.count()).toBe(1);
    expect(await status.getByRole('button', { name: 'Record as held' }).count()).toBe(0);
    await expectAccessible(page, 'governance-meeting-scheduled');
    await status.getByRole('button', { name: 'Cancel meeting' }).click();
    // The page reloads the meeting after the change: wait for it, not just for the controls to go.
    await expect.poll(() => page.getByRole('main').textContent()).toContain('Cancelled');
    expect(await page.getByTestId('meeting-status').count()).toBe(0);
    expect(await page.getByTestId('paper-form').count()).toBe(0);
  });
});
