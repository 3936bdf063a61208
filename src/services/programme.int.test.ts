import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import type { Principal } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { buildTrust } from '../../test/factories.js';
import { importStatisticsFile } from '../../test/statistics.js';
import { createTestDatabase } from '../../test/test-database.js';
import { listAuditEventsAsOperator } from './audit.service.js';
import { bringUpToDate } from './database.service.js';
import { createUser, grantRole, principalForEmail } from './identity.service.js';
import {
  addMilestone,
  advanceProgramme,
  completeMilestone,
  createProgramme,
  getProgramme,
  listProgrammes,
  programmeCaller,
  recordContribution,
  recordReviewOutcome,
  scheduleReview,
} from './programme.service.js';

/** National programmes on a real database: seeds, lifecycle, contributions and who may record them, figures. */

const today = '2026-02-10';
const publicPrincipal: Principal = { kind: 'public' };

async function refusal(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('national programmes', () => {
  let handle: DatabaseHandle;
  const people: Record<string, Principal> = {};
  const as = (name: string) => programmeCaller(people[name] ?? publicPrincipal);

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    for (const [name, role, scope] of [
      ['director', 'national-director', undefined],
      ['londonTeam', 'regional-team', 'Y56'],
      ['londonDirector', 'regional-director', 'Y56'],
      ['southEastLondon', 'icb-lead', 'QKK'],
      ['northEastLondon', 'icb-lead', 'QMF'],
      ['analyst', 'national-analyst', undefined],
    ] as const) {
      const account = await createUser(db, systemActor, { email: `${name}@nhs.test`, name });
      await grantRole(db, systemActor, { userId: account.id, role, scopeCode: scope }, today);
      people[name] = await principalForEmail(db, `${name}@nhs.test`);
    }
  });
  afterAll(async () => handle?.close());

  it('has the four seeded programmes in every database, in delivery, and adds them only once', async () => {
    const programmes = await listProgrammes(handle.db, today);
    expect(programmes.map((p) => p.code).sort()).toEqual([
      'cancer',
      'digital',
      'mental-health',
      'urgent-emergency-care',
    ]);
    for (const p of programmes) {
      expect(p).toMatchObject({ stage: 'in-delivery', sponsor: 'NHS Executive Group', openMilestones: 2 });
      expect(p.nationalDirector).toMatch(/^National Director for /);
      expect(p.nextReview).not.toBeNull();
    }
    const uec = await getProgramme(handle.db, publicPrincipal, 'urgent-emergency-care', today);
    expect(uec.metrics.map((m) => [m.metric.code, m.trajectory])).toEqual([
      [
        'ae_4h_all',
        [
          { month: '2025-03-01', value: 78 },
          { month: '2026-03-01', value: 82 },
        ],
      ],
      ['ga_occupancy', []],
    ]);
    expect(uec.history).toEqual([
      expect.objectContaining({ fromStage: null, toStage: 'in-delivery', changedBy: null }),
    ]);
    expect(uec.reviews).toEqual([expect.objectContaining({ state: 'scheduled' })]);
    // Bringing the database up to date again adds nothing.
    await bringUpToDate(handle.db);
    expect((await listProgrammes(handle.db, today)).length).toBe(4);
  });

  it('shows each linked metric for England and every region against the trajectory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'programme-figures-'));
    const london = await buildTrust(handle.db, { parentCode: 'QKK', date: '2020-04-01' });
    const northWest = await buildTrust(handle.db, { parentCode: 'QE1', date: '2020-04-01' });
    const path = join(dir, 'ae.csv');
    // September 2025: London 76.0%, the North West 85.0%, England 80.5%; the trajectory is 80% that month.
    writeFileSync(
      path,
      [
        'period,org_code,data_item,value',
        `2025-09-01,${london},ae_attendances_all,1000`,
        `2025-09-01,${london},ae_breaches_4h_all,240`,
        `2025-09-01,${northWest},ae_attendances_all,1000`,
        `2025-09-01,${northWest},ae_breaches_4h_all,150`,
      ].join('\n'),
    );
    await importStatisticsFile(handle, 'observations', path);
    const uec = await getProgramme(handle.db, publicPrincipal, 'urgent-emergency-care', today);
    const fourHours = uec.metrics[0];
    expect(fourHours?.england).toEqual({
      month: '2025-09-01',
      value: 80.5,
      trajectory: 80,
      gap: 0.5,
      standing: 'meets',
    });
    const region = (code: string) => fourHours?.regions.find((r) => r.odsCode === code);
    expect(region('Y56')).toMatchObject({ value: 76, trajectory: 80, gap: -4, standing: 'misses' });
    expect(region('Y62')).toMatchObject({ value: 85, trajectory: 80, gap: 5, standing: 'meets' });
    expect(region('Y58')).toMatchObject({ value: null, standing: 'no-data' });
    expect(fourHours?.regions.length).toBe(7);
    expect(fourHours?.series.find((p) => p.month === '2025-09-01')).toEqual({
      month: '2025-09-01',
      value: 80.5,
      trajectory: 80,
    });
  });

  it('takes a new programme through its lifecycle, refusing jumps and moves without a reason', async () => {
    const db = handle.db;
    const input = {
      code: 'elective-recovery',
      name: 'Elective recovery',
      sponsor: 'NHS Executive Group',
      nationalDirector: 'National Director for Elective Care',
      scope: 'Reducing long waits for planned care.',
      metrics: [{ metric: 'rtt_over_52w_all_parts', trajectory: [{ month: '2026-03', value: 0 }] }],
    };
    // Only national directors create programmes; regions are refused, the public asked to sign in.
    expect((await refusal(createProgramme(db, as('londonDirector'), input, today))).code).toBe('forbidden');
    expect((await refusal(createProgramme(db, as('public'), input, today))).code).toBe('unauthenticated');
    const unknown = await refusal(
      createProgramme(db, as('director'), { ...input, metrics: [{ metric: 'no_such_metric' }] }, today),
    );
    expect(unknown.problems).toEqual([
      { field: 'metrics.0.metric', message: expect.stringContaining('no_such_metric is not a metric') },
    ]);
    const percent = await refusal(
      createProgramme(
        db,
        as('director'),
        { ...input, metrics: [{ metric: 'ae_4h_all', trajectory: [{ month: '2026-03', value: 120 }] }] },
        today,
      ),
    );
    expect(percent.problems[0]?.field).toBe('metrics.0.trajectory.0.value');

    const created = await createProgramme(db, as('director'), input, today);
    expect(created).toMatchObject({ stage: 'proposed', permissions: { manage: true } });
    expect(created.permissions.nextStages).toEqual(['established', 'closed']);
    expect((await refusal(createProgramme(db, as('director'), input, today))).code).toBe('conflict');

    const jump = await refusal(
      advanceProgramme(db, as('director'), input.code, { to: 'in-delivery', reason: 'Go' }, today),
    );
    expect(jump.code).toBe('conflict');
    expect(jump.message).toContain('can move only to established or closed, not to in delivery');
    const noReason = await refusal(
      advanceProgramme(db, as('director'), input.code, { to: 'established', reason: ' ' }, today),
    );
    expect(noReason.problems).toEqual([
      { field: 'reason', message: expect.stringContaining('Enter the reason') },
    ]);
    expect(
      (
        await refusal(
          advanceProgramme(db, as('londonDirector'), input.code, { to: 'established', reason: 'x' }, today),
        )
      ).code,
    ).toBe('forbidden');

    await advanceProgramme(
      db,
      as('director'),
      input.code,
      { to: 'established', reason: 'Agreed by the Executive Group' },
      today,
    );
    await advanceProgramme(
      db,
      as('director'),
      input.code,
      { to: 'in-delivery', reason: 'Funding confirmed' },
      today,
    );
    await addMilestone(
      db,
      as('director'),
      input.code,
      { title: 'Validation sprint', due: '2026-01-31' },
      today,
    );
    let detail = await scheduleReview(db, as('director'), input.code, { scheduledFor: '2026-02-01' }, today);
    const milestone = detail.milestones[0];
    expect(milestone).toMatchObject({ title: 'Validation sprint', overdue: true, completedOn: null });
    expect(detail.reviews[0]).toMatchObject({ state: 'scheduled', overdue: true });
    expect((await listProgrammes(db, today)).find((p) => p.code === input.code)).toMatchObject({
      overdueMilestones: [{ title: 'Validation sprint', due: '2026-01-31' }],
      nextReview: '2026-02-01',
      reviewOverdue: true,
    });
    expect(
      (
        await refusal(
          completeMilestone(
            db,
            as('director'),
            input.code,
            milestone?.id ?? 0,
            { completedOn: '2026-03-01' },
            today,
          ),
        )
      ).problems[0]?.field,
    ).toBe('completedOn');
    detail = await completeMilestone(
      db,
      as('director'),
      input.code,
      milestone?.id ?? 0,
      { completedOn: '2026-02-05' },
      today,
    );
    expect(detail.milestones[0]).toMatchObject({ overdue: false, completedOn: '2026-02-05' });

    // A review's outcome needs the programme under review first.
    const reviewId = detail.reviews[0]?.id ?? 0;
    const outcome = {
      heldOn: '2026-02-09',
      outcome: 'Long waits falling; keep going.',
      decision: 'continue',
      nextReview: '2026-08-01',
    };
    const early = await refusal(
      recordReviewOutcome(db, as('director'), input.code, reviewId, outcome, today),
    );
    expect(early.message).toContain('Move it to under review');
    await advanceProgramme(
      db,
      as('director'),
      input.code,
      { to: 'under-review', reason: 'Six-month review' },
      today,
    );
    detail = await recordReviewOutcome(db, as('director'), input.code, reviewId, outcome, today);
    expect(detail.stage).toBe('in-delivery');
    expect(detail.reviews.map((r) => [r.state, r.decision, r.scheduledFor])).toEqual([
      ['held', 'continue', '2026-02-01'],
      ['scheduled', null, '2026-08-01'],
    ]);
    expect(detail.history.map((h) => h.toStage)).toEqual([
      'proposed',
      'established',
      'in-delivery',
      'under-review',
      'in-delivery',
    ]);
    expect(detail.history.at(-1)?.reason).toBe(
      'Continue as planned (review held on 2026-02-09): Long waits falling; keep going.',
    );
    expect(
      (await refusal(recordReviewOutcome(db, as('director'), input.code, reviewId, outcome, today))).code,
    ).toBe('conflict');

    // The next review closes it; closed is final.
    await advanceProgramme(
      db,
      as('director'),
      input.code,
      { to: 'under-review', reason: 'Annual review' },
      today,
    );
    detail = await recordReviewOutcome(
      db,
      as('director'),
      input.code,
      detail.reviews[1]?.id ?? 0,
      { heldOn: today, outcome: 'Waits back to standard.', decision: 'close' },
      today,
    );
    expect(detail.stage).toBe('closed');
    expect(detail.permissions.nextStages).toEqual([]);
    expect(
      (
        await refusal(
          advanceProgramme(db, as('director'), input.code, { to: 'in-delivery', reason: 'Again' }, today),
        )
      ).message,
    ).toContain('closed programme cannot move');
    expect(
      (
        await refusal(
          recordContribution(
            db,
            as('director'),
            input.code,
            'QKK',
            { commitment: 'x', status: 'planned' },
            today,
          ),
        )
      ).message,
    ).toContain('closed');

    const audit = await listAuditEventsAsOperator(db, { recordType: 'programme', limit: 100 });
    const actions = audit.filter((e) => e.recordId?.startsWith(input.code)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'programme.create',
        'programme.stage',
        'programme.milestone-add',
        'programme.milestone-complete',
        'programme.review-schedule',
        'programme.review-record',
      ]),
    );
  });

  it("lets regions and ICBs record their own contributions, and no one else's", async () => {
    const db = handle.db;
    const code = 'mental-health';
    const commitment = { commitment: 'Talking therapies in every borough by March.', status: 'on-track' };
    // An ICB lead records for their ICB.
    const own = await recordContribution(db, as('southEastLondon'), code, 'QKK', commitment, today);
    expect(own).toMatchObject({
      organisation: { odsCode: 'QKK', kind: 'icb', region: { odsCode: 'Y56' } },
      status: 'on-track',
    });
    // Another ICB's lead may not record it, nor for the region.
    const other = await refusal(
      recordContribution(
        db,
        as('northEastLondon'),
        code,
        'QKK',
        { ...commitment, status: 'delivered' },
        today,
      ),
    );
    expect(other.code).toBe('forbidden');
    expect(other.message).toContain(
      'You cannot record a contribution for NHS South East London Integrated Care Board (QKK)',
    );
    expect(
      (await refusal(recordContribution(db, as('northEastLondon'), code, 'Y56', commitment, today))).code,
    ).toBe('forbidden');
    // The regional team records for its region and the ICBs in it, not for another region's ICB.
    await recordContribution(
      db,
      as('londonTeam'),
      code,
      'Y56',
      { commitment: 'Regional crisis line', status: 'planned' },
      today,
    );
    const updated = await recordContribution(
      db,
      as('londonTeam'),
      code,
      'QKK',
      { ...commitment, status: 'at-risk' },
      today,
    );
    expect(updated.status).toBe('at-risk');
    expect(
      (await refusal(recordContribution(db, as('londonTeam'), code, 'QE1', commitment, today))).code,
    ).toBe('forbidden');
    // Analysts read but do not contribute; the public must sign in; only regions and ICBs contribute.
    expect((await refusal(recordContribution(db, as('analyst'), code, 'QKK', commitment, today))).code).toBe(
      'forbidden',
    );
    expect((await refusal(recordContribution(db, as('public'), code, 'QKK', commitment, today))).code).toBe(
      'unauthenticated',
    );
    const trust = await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' });
    expect(
      (await refusal(recordContribution(db, as('director'), code, trust, commitment, today))).problems,
    ).toEqual([
      { field: 'organisation', message: expect.stringContaining('regions and integrated care boards') },
    ]);
    const bad = await refusal(
      recordContribution(db, as('londonTeam'), code, 'QKK', { commitment: '', status: 'done' }, today),
    );
    expect(bad.problems.map((p) => p.field)).toEqual(['commitment', 'status']);

    const detail = await getProgramme(db, people.northEastLondon ?? publicPrincipal, code, today);
    expect(detail.contributions.map((c) => [c.organisation.odsCode, c.status])).toEqual([
      ['QKK', 'at-risk'],
      ['Y56', 'planned'],
    ]);
    // Who recorded it is for signed-in readers; what each may record for is theirs alone.
    expect(detail.contributions[0]?.updatedBy).toContain('londonTeam');
    expect(detail.permissions).toMatchObject({ manage: false, contributeFor: [{ odsCode: 'QMF' }] });
    const team = await getProgramme(db, people.londonTeam ?? publicPrincipal, code, today);
    expect(team.permissions.contributeFor.map((a) => a.odsCode).sort()).toEqual(
      expect.arrayContaining(['Y56', 'QKK', 'QMF', 'QMJ']),
    );
    expect(team.permissions.contributeFor.some((a) => a.odsCode === 'QE1')).toBe(false);
    const anyone = await getProgramme(db, publicPrincipal, code, today);
    expect(anyone.contributions[0]?.updatedBy).toBeNull();
    expect(anyone.permissions).toEqual({ manage: false, nextStages: [], contributeFor: [] });
  });
});
