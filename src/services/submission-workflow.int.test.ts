import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { listObservationVersions } from '../db/observation.repository.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal, Role } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { addMonths } from '../domain/period.js';
import { buildTrust } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getDashboard } from './dashboard.service.js';
import {
  advanceSubmission,
  getSubmission,
  getSubmissionVersions,
  publishSubmission,
  saveSubmission,
  type SubmissionInput,
} from './submission.service.js';
import { activateTemplate, createTemplate } from './template.service.js';

/**
 * A return walked through every state of the workflow, on both engines: draft, refused submission,
 * returned by the ICB, returned by the region, approved, accepted (reporting switches), locked,
 * resubmitted after lock with a reason (reporting stays on the accepted version until the new one is
 * accepted), with every version kept and diffed.
 */

const today = '2025-08-15';
const period = '2025-06-01';

describe('the return workflow', () => {
  let handle: DatabaseHandle;
  let trust = '';
  let submitter: Principal;
  let icb: Principal;
  let otherIcb: Principal;
  let region: Principal;
  let analyst: Principal;

  const person = (label: string, role: Role, scope: number | null): Principal => ({
    kind: 'user',
    userId: label.length,
    label,
    isAdmin: false,
    grants: [{ role, scopeOrganisationId: scope }],
    functions: [],
  });
  const input = (
    values: SubmissionInput['values'],
    extra: Partial<SubmissionInput> = {},
  ): SubmissionInput => ({
    template: 'ae-type1',
    odsCode: trust,
    periodStart: period,
    values,
    submit: true,
    ...extra,
  });
  const reported = async (item: string) =>
    (
      await listObservationVersions(handle.db, {
        odsCode: trust,
        itemCode: item,
        periodType: 'M',
        periodStart: period,
      })
    ).map((v) => ({ value: v.value, current: v.isCurrent }));
  const icbAttendances = async () => {
    const dashboard = await getDashboard(handle.db, {
      aggregateCode: 'QKK',
      metricCodes: ['ae_attendances_type1'],
      from: period,
      to: period,
      today,
    });
    return dashboard.series[0]?.points[0]?.value ?? null;
  };

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    trust = await buildTrust(db, { parentCode: 'QKK', date: '2016-04-01' });
    const id = async (code: string) => (await findOrganisationByCode(db, code))?.id ?? 0;
    submitter = person('Trust submitter', 'trust-data-submitter', await id(trust));
    icb = person('South East London ICB lead', 'icb-lead', await id('QKK'));
    otherIcb = person('North East London ICB lead', 'icb-lead', await id('QMF'));
    region = person('London regional team member', 'regional-team', await id('Y56'));
    analyst = person('National analyst', 'national-analyst', null);
    await createTemplate(
      db,
      systemActor,
      {
        code: 'ae-type1',
        name: 'Type 1 A&E',
        periodType: 'month',
        organisationKinds: ['nhs-trust'],
        items: ['ae_attendances_type1', 'ae_breaches_4h_type1'],
        schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
        rules: {
          checks: [
            {
              code: 'breaches-within-attendances',
              expression: 'ae_breaches_4h_type1 <= ae_attendances_type1',
              message: 'Breaches cannot exceed attendances',
              severity: 'error',
            },
          ],
        },
      },
      today,
    );
    await activateTemplate(db, systemActor, 'ae-type1', '2024-04-01', today);
  });
  afterAll(async () => handle?.close());

  it('walks a return through every state, with versions, diffs and reporting on the accepted version', async () => {
    const db = handle.db;
    // A draft may be incomplete.
    const draft = await saveSubmission(
      db,
      submitter,
      input({ ae_attendances_type1: 1000 }, { submit: false }),
      null,
    );
    expect(draft).toMatchObject({ status: 'draft', version: 0, acceptedVersion: null });
    expect(draft.steps).toEqual([]);

    // Submitting runs every rule: a blank required item and a failed cross-item check block, storing nothing.
    await expect(
      saveSubmission(db, submitter, input({ ae_attendances_type1: 1000 }), null),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [expect.objectContaining({ field: 'values.ae_breaches_4h_type1' })],
    });
    await expect(
      saveSubmission(db, submitter, input({ ae_attendances_type1: 1000, ae_breaches_4h_type1: 1200 }), null),
    ).rejects.toMatchObject({
      problems: [
        expect.objectContaining({ message: expect.stringMatching(/Breaches cannot exceed attendances/) }),
      ],
    });

    // Version 1, returned for correction by the ICB (a reason is required).
    const v1 = await saveSubmission(
      db,
      submitter,
      input({ ae_attendances_type1: 1000, ae_breaches_4h_type1: 200 }),
      null,
    );
    expect(v1).toMatchObject({ status: 'submitted', version: 1 });
    expect(v1.firstSubmittedAt).not.toBeNull();
    await expect(advanceSubmission(db, icb, v1.id, 'return', '  ', null)).rejects.toMatchObject({
      code: 'invalid-input',
    });
    // Only the ICB over the trust approves; the region cannot accept before the ICB has approved.
    await expect(advanceSubmission(db, otherIcb, v1.id, 'approve', null, null)).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(advanceSubmission(db, region, v1.id, 'approve', null, null)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(advanceSubmission(db, region, v1.id, 'accept', null, null)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/waiting for its ICB/),
    });
    const returned = await advanceSubmission(
      db,
      icb,
      v1.id,
      'return',
      'Breaches look low against last month',
      null,
    );
    expect(returned).toMatchObject({
      status: 'returned',
      statusReason: 'Breaches look low against last month',
    });

    // Version 2: approved by the ICB, returned by the region.
    const v2 = await saveSubmission(
      db,
      submitter,
      input({ ae_attendances_type1: 1000, ae_breaches_4h_type1: 260 }),
      null,
    );
    expect(v2).toMatchObject({ status: 'submitted', version: 2 });
    expect((await advanceSubmission(db, icb, v2.id, 'approve', null, null)).status).toBe('approved');
    await expect(advanceSubmission(db, icb, v2.id, 'accept', null, null)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(
      (await advanceSubmission(db, region, v2.id, 'return', 'Attendances differ from the SUS count', null))
        .status,
    ).toBe('returned');
    expect(await reported('ae_attendances_type1')).toEqual([]);

    // Version 3: approved, accepted (reporting now uses it), locked.
    const v3 = await saveSubmission(
      db,
      submitter,
      input({ ae_attendances_type1: 1040, ae_breaches_4h_type1: 260 }),
      null,
    );
    await advanceSubmission(db, icb, v3.id, 'approve', null, null);
    const accepted = await advanceSubmission(db, region, v3.id, 'accept', null, null);
    expect(accepted).toMatchObject({ status: 'accepted', acceptedVersion: 3 });
    expect(await reported('ae_attendances_type1')).toEqual([{ value: 1040, current: true }]);
    expect(await icbAttendances()).toBe(1040);
    const locked = await advanceSubmission(db, region, v3.id, 'lock', null, null);
    expect(locked).toMatchObject({ status: 'locked', steps: [] });

    // After lock: no draft over it, and a resubmission needs a reason.
    await expect(
      saveSubmission(
        db,
        submitter,
        input({ ae_attendances_type1: 1100, ae_breaches_4h_type1: 260 }, { submit: false }),
        null,
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      saveSubmission(db, submitter, input({ ae_attendances_type1: 1100, ae_breaches_4h_type1: 260 }), null),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [expect.objectContaining({ field: 'reason' })],
    });
    const v4 = await saveSubmission(
      db,
      submitter,
      input(
        { ae_attendances_type1: 1100, ae_breaches_4h_type1: 260 },
        { reason: 'Late-coded attendances from the urgent treatment centre' },
      ),
      null,
    );
    expect(v4).toMatchObject({ status: 'submitted', version: 4, acceptedVersion: 3 });
    // Reporting stays on the accepted version until the new one is accepted.
    expect(await reported('ae_attendances_type1')).toEqual([{ value: 1040, current: true }]);
    expect(await icbAttendances()).toBe(1040);

    const history = await getSubmissionVersions(db, icb, v4.id, null);
    expect(history.versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(history.versions.find((v) => v.reporting)?.version).toBe(3);
    expect(history.versions[1]?.changes).toEqual([{ item: 'ae_breaches_4h_type1', before: 200, after: 260 }]);
    expect(history.versions[3]).toMatchObject({
      reason: 'Late-coded attendances from the urgent treatment centre',
      changes: [{ item: 'ae_attendances_type1', before: 1040, after: 1100 }],
    });

    await advanceSubmission(db, icb, v4.id, 'approve', null, null);
    const v4Accepted = await advanceSubmission(db, region, v4.id, 'accept', null, null);
    expect(v4Accepted.acceptedVersion).toBe(4);
    // The earlier accepted value is kept, no longer current; the dashboards follow the new version.
    expect(await reported('ae_attendances_type1')).toEqual([
      { value: 1100, current: true },
      { value: 1040, current: false },
    ]);
    expect(await icbAttendances()).toBe(1100);

    // Publication is national, and only of an accepted return.
    const published = await publishSubmission(db, analyst, v4.id, null);
    expect(published).toMatchObject({ published: true, status: 'accepted' });

    // Work after publication stays private: the public sees the published version until the next is published.
    await advanceSubmission(db, region, v4.id, 'lock', null, null);
    await saveSubmission(
      db,
      submitter,
      input({ ae_attendances_type1: 1111, ae_breaches_4h_type1: 260 }, { reason: 'A further correction' }),
      null,
    );
    const seenByPublic = await getSubmission(db, { kind: 'public' }, v4.id, null);
    expect(seenByPublic).toMatchObject({
      version: 4,
      values: { ae_attendances_type1: 1100 },
      statusReason: null,
    });
    const publicVersions = await getSubmissionVersions(db, { kind: 'public' }, v4.id, null);
    expect(publicVersions.versions.map((v) => [v.version, v.reason])).toEqual([
      [1, null],
      [2, null],
      [3, null],
      [4, null],
    ]);
    expect((await getSubmission(db, icb, v4.id, null)).values.ae_attendances_type1).toBe(1111);
  });

  it('asks for an explanation of a value unlike the organisation’s own accepted history (SPC)', async () => {
    const db = handle.db;
    await createTemplate(
      db,
      systemActor,
      {
        code: 'ae-other',
        name: 'Other A&E types',
        periodType: 'month',
        organisationKinds: ['nhs-trust'],
        items: ['ae_attendances_other'],
        schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
        rules: { outliers: { method: 'spc', minHistory: 12 } },
      },
      today,
    );
    await activateTemplate(db, systemActor, 'ae-other', '2024-04-01', today);
    // A year of accepted returns between 480 and 520: limits about 500 ± 2.66 × the mean moving range.
    const history = [500, 510, 490, 505, 495, 520, 480, 500, 510, 490, 505, 495];
    for (const [i, value] of history.entries()) {
      const r = await saveSubmission(
        db,
        submitter,
        input(
          { ae_attendances_other: value },
          { template: 'ae-other', periodStart: addMonths('2024-04-01', i) },
        ),
        null,
      );
      await advanceSubmission(db, icb, r.id, 'approve', null, null);
      await advanceSubmission(db, region, r.id, 'accept', null, null);
    }
    const spike = input({ ae_attendances_other: 900 }, { template: 'ae-other', periodStart: '2025-04-01' });
    await expect(saveSubmission(db, submitter, spike, null)).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [
        expect.objectContaining({
          field: 'explanations.ae_attendances_other',
          message: expect.stringMatching(/900/),
        }),
      ],
    });
    // A draft keeps the warning for later; a submission with the explanation goes through, warning kept.
    const draft = await saveSubmission(db, submitter, { ...spike, submit: false }, null);
    expect(draft.warnings.map((w) => w.rule)).toEqual(['outlier']);
    const explained = await saveSubmission(
      db,
      submitter,
      { ...spike, explanations: { ae_attendances_other: 'A new urgent treatment centre opened in April.' } },
      null,
    );
    expect(explained).toMatchObject({
      status: 'submitted',
      version: 1,
      warnings: [expect.objectContaining({ rule: 'outlier' })],
    });
    // An ordinary value raises nothing.
    const ordinary = await saveSubmission(
      db,
      submitter,
      input({ ae_attendances_other: 505 }, { template: 'ae-other', periodStart: '2025-05-01' }),
      null,
    );
    expect(ordinary.warnings).toEqual([]);
  });

  it('makes retries safe with an idempotency key, and refuses the key for a different return', async () => {
    const db = handle.db;
    const body = input(
      { ae_attendances_type1: 900, ae_breaches_4h_type1: 90 },
      { periodStart: '2025-05-01', idempotencyKey: 'pas-2025-05' },
    );
    const first = await saveSubmission(db, submitter, body, null);
    const retry = await saveSubmission(db, submitter, body, null);
    expect(retry).toMatchObject({ id: first.id, version: 1, replayed: true });
    expect((await getSubmissionVersions(db, submitter, first.id, null)).versions).toHaveLength(1);
    await expect(
      saveSubmission(
        db,
        submitter,
        { ...body, values: { ae_attendances_type1: 901, ae_breaches_4h_type1: 90 } },
        null,
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/pas-2025-05 was used for a different return/),
    });
  });

  it('refuses returns the template does not ask for: another period type, an inactive month, an unknown item', async () => {
    const db = handle.db;
    await expect(
      saveSubmission(db, submitter, input({ ae_attendances_type1: 1 }, { periodStart: '2025-06-15' }), null),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [expect.objectContaining({ field: 'periodStart' })],
    });
    await expect(
      saveSubmission(db, submitter, input({ ae_attendances_type1: 1 }, { periodStart: '2023-06-01' }), null),
    ).rejects.toMatchObject({
      problems: [expect.objectContaining({ message: expect.stringMatching(/from 2024-04-01/) })],
    });
    await expect(
      saveSubmission(
        db,
        submitter,
        input(
          { ae_attendances_type1: 1, ae_breaches_4h_type1: 0 },
          { periodStart: '2025-03-01', explanations: { nonsense: 'An explanation of nothing at all.' } },
        ),
        null,
      ),
    ).rejects.toMatchObject({ problems: [expect.objectContaining({ field: 'explanations.nonsense' })] });
    await expect(saveSubmission(db, submitter, input({ ga_beds_available: 1 }), null)).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'values.ga_beds_available' })],
    });
    await expect(
      saveSubmission(db, submitter, input({ ae_attendances_type1: 1 }, { template: 'no-such' }), null),
    ).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'template' })],
    });
  });
});
