import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal, Role, StatutoryFunction } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { exampleMethodology, loadSegmentationExample } from '../../test/oversight.js';
import { createTestDatabase } from '../../test/test-database.js';
import {
  addInterventionAction,
  completeInterventionAction,
  exitIntervention,
  getIntervention,
  getSignalChain,
  listInterventions,
  recordIntervention,
  reviewIntervention,
} from './intervention.service.js';
import { raiseAidRequest } from './mutual-aid.service.js';
import { addMethodologyVersion } from './segmentation.service.js';

const today = '2025-08-15';

/**
 * The chain from a signal to the action taken, on the hand-worked segmentation example (test/oversight.ts):
 * T4's A&E 4-hour performance falls from 85% (21 months) to 70% in April 2025 — an SPC special cause of
 * concern — and, scored without the deficit override, its average moves from 2.00 to 3.13, so its segment
 * worsens from 2 to 3 in Q1 2025/26.
 */
describe('interventions and the chain from a signal to the action taken', () => {
  let handle: DatabaseHandle;
  let codes: string[] = [];
  const people: Record<string, Principal> = {};
  const person = (label: string, role: Role, scope: number | null, functions: StatutoryFunction[] = []) =>
    ({
      kind: 'user',
      userId: label.length,
      label,
      isAdmin: false,
      grants: [{ role, scopeOrganisationId: scope }],
      functions,
    }) satisfies Principal;
  const as = (who: string) => ({ principal: people[who] ?? null, actor: { ...systemActor, label: who } });
  const t4 = () => codes[3] ?? '';
  const base = () => ({
    organisation: t4(),
    kind: 'enhanced-oversight',
    title: 'Urgent and emergency care recovery',
    owner: 'Director of Strategic Transformation, London',
    signal: { kind: 'segment-change', methodology: 'test-chain', quarter: '2025-04-01' },
    openedOn: '2025-07-14',
    nextReview: '2025-10-14',
    exitCriteria: 'Four-hour performance at or above 78% for three consecutive months',
    programme: 'test-uec',
    actions: [
      {
        description: 'Agree a front-door streaming plan',
        owner: 'Chief operating officer',
        due: '2025-08-01',
      },
      { description: 'Board to review flow weekly', owner: 'Chair', due: '2025-09-30' },
    ],
  });
  let first = 0;
  let tagged = 0;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    codes = await loadSegmentationExample(handle);
    // The example without its deficit override, so T4's segment moves with its scores.
    await addMethodologyVersion(
      handle.db,
      systemActor,
      exampleMethodology({ code: 'test-chain', conditions: [], overrides: [] }),
    );
    await handle.db
      .insertInto('programme')
      .values({
        code: 'test-uec',
        name: 'Test urgent and emergency care programme',
        sponsor: 'NHS Executive Group',
        national_director: 'National Director for Urgent and Emergency Care',
        scope: 'Recovery of A&E performance.',
        stage: 'in-delivery',
        created_by: 'test',
      })
      .execute();
    const id = async (code: string) => (await findOrganisationByCode(handle.db, code))?.id ?? 0;
    people.london = person('London regional director', 'regional-director', await id('Y56'));
    people.londonLicensing = person('London licensing lead', 'regional-director', await id('Y56'), [
      'provider-licensing',
    ]);
    people.east = person('East of England regional director', 'regional-director', await id('Y61'));
    people.board = person('T4 board member', 'trust-board-member', await id(t4()));
    people.national = person('National director', 'national-director', null, ['provider-licensing']);
  });
  afterAll(async () => handle?.close());

  it('refuses an intervention whose signal is not in the data, saying where and what to do', async () => {
    const before = (await listInterventions(handle.db, null, { today })).length;
    // March 2025, the last month at 85%, is above the limits: a special cause, but of improvement.
    await expect(
      recordIntervention(
        handle.db,
        as('london'),
        { ...base(), signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-03-01' } },
        today,
      ),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [
        {
          field: 'signal.period',
          message: expect.stringMatching(/85.0% in March 2025: a special cause of improvement/),
        },
      ],
    });
    // T2's segment did not worsen.
    await expect(
      recordIntervention(handle.db, as('london'), { ...base(), organisation: codes[1] }, today),
    ).rejects.toMatchObject({
      problems: [{ field: 'signal.quarter', message: expect.stringMatching(/did not worsen/) }],
    });
    const bad = await recordIntervention(
      handle.db,
      as('london'),
      { ...base(), exitCriteria: ' ', nextReview: '2025-07-01', kind: 'licence-conditions' },
      today,
    ).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).problems.map((p) => p.field).sort()).toEqual([
      'exitCriteria',
      'nextReview',
      'statutoryFunction',
    ]);
    await expect(
      recordIntervention(handle.db, as('london'), { ...base(), programme: 'no-such' }, today),
    ).rejects.toMatchObject({ problems: [{ field: 'programme' }] });
    await expect(
      recordIntervention(
        handle.db,
        as('london'),
        { ...base(), openedOn: '2025-08-16', nextReview: '2025-11-01' },
        today,
      ),
    ).rejects.toMatchObject({ problems: [{ field: 'openedOn' }] });
    expect((await listInterventions(handle.db, null, { today })).length).toBe(before);
  });

  it('lets only a region over the trust (or the centre) record one', async () => {
    await expect(recordIntervention(handle.db, as('east'), base(), today)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(recordIntervention(handle.db, as('board'), base(), today)).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('records the segment change with what the data showed, and walks back to the SPC signal', async () => {
    const recorded = await recordIntervention(handle.db, as('london'), base(), today);
    first = recorded.id;
    expect(recorded).toMatchObject({
      organisation: { odsCode: t4() },
      status: 'open',
      programme: { code: 'test-uec' },
      signal: {
        kind: 'segment-change',
        observed: { from: 2, to: 3, label: 'Q1 2025/26' },
        summary: expect.stringMatching(/^Segment 2 → 3 in Q1 2025\/26/),
      },
      actions: { open: 2, overdue: 1 },
      canChange: true,
    });
    // Back: the segment and its drivers, and the months the 4-hour driver's SPC flags as a concern.
    const { chain } = recorded;
    expect(chain.segment).toMatchObject({ segment: 3, previousSegment: 2, direction: 'worse' });
    const driver = chain.segment?.drivers.find((d) => d.metric === 'ae_4h_all');
    expect(driver?.signalMonths).toContain('2025-04-01');
    expect(chain.signals.find((s) => s.period === '2025-04-01')).toMatchObject({
      metric: { code: 'ae_4h_all' },
      value: 70,
      specialCause: true,
      pointType: 'special_cause_concern',
    });
    // On: the programme it led to.
    expect(chain.programmes).toEqual([
      { code: 'test-uec', name: 'Test urgent and emergency care programme', interventionIds: [first] },
    ]);
  });

  it('walks forward from the SPC signal to the segment, the intervention and the programme', async () => {
    const chain = await getSignalChain(handle.db, people.london ?? null, {
      organisation: t4(),
      metric: 'ae_4h_all',
      period: '2025-04-01',
      methodology: 'test-chain',
      today,
    });
    expect(chain.signals[0]).toMatchObject({ specialCause: true, value: 70, label: 'April 2025' });
    expect(chain.segment).toMatchObject({ label: 'Q1 2025/26', segment: 3, previousSegment: 2 });
    expect(chain.interventions.map((i) => i.id)).toEqual([first]);
    expect(chain.programmes.map((p) => p.code)).toEqual(['test-uec']);
    // And from the programme back to its interventions.
    const viaProgramme = await listInterventions(handle.db, people.london ?? null, {
      programme: 'test-uec',
      today,
    });
    expect(viaProgramme.map((i) => i.id)).toEqual([first]);
  });

  it('shows the mutual aid an intervention led to only to those who may see mutual aid', async () => {
    const london = people.london as Principal;
    await raiseAidRequest(
      handle.db,
      { principal: london, actor: systemActor },
      {
        requester: t4(),
        kind: 'staff',
        detail: 'registered-nurses',
        unit: 'wte',
        quantity: 4,
        neededFrom: '2025-08-20',
        neededTo: '2025-09-20',
        urgency: 'urgent',
        reason: 'Emergency department nurses while the recovery plan starts.',
        interventionId: first,
      },
      today,
    );
    const aidSeenBy = async (who: Principal) =>
      (await getIntervention(handle.db, who, first, today)).chain.mutualAid.map((a) => a.quantity);
    expect(await aidSeenBy(london)).toEqual([4]);
    // A national analyst may read the intervention, but mutual aid is for those who collaborate.
    expect(await aidSeenBy(person('National analyst', 'national-analyst', null))).toEqual([]);
  });

  it('keeps an intervention of a statutory function out of sight of anyone without the grant', async () => {
    // Undertakings are taken under the provider licence: the region without the grant cannot record them.
    const undertakings = {
      ...base(),
      kind: 'enforcement-undertakings',
      statutoryFunction: 'provider-licensing',
      title: 'Undertakings on governance of urgent care',
      signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-05-01' },
      programme: null,
    };
    await expect(recordIntervention(handle.db, as('london'), undertakings, today)).rejects.toMatchObject({
      code: 'forbidden',
    });
    tagged = (await recordIntervention(handle.db, as('londonLicensing'), undertakings, today)).id;

    const seen = async (who: string) =>
      (await listInterventions(handle.db, people[who] ?? null, { organisation: 'Y56', today })).map(
        (i) => i.id,
      );
    expect(await seen('londonLicensing')).toEqual(expect.arrayContaining([first, tagged]));
    expect(await seen('london')).toEqual([first]);
    expect(await seen('board')).toEqual([first]);
    expect(await seen('east')).toEqual([]);
    await expect(getIntervention(handle.db, people.london ?? null, tagged, today)).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(getIntervention(handle.db, people.east ?? null, first, today)).rejects.toMatchObject({
      code: 'not-found',
    });
    // Nor does the chain from May's signal name it.
    const chainFor = async (who: string) =>
      (
        await getSignalChain(handle.db, people[who] ?? null, {
          organisation: t4(),
          metric: 'ae_4h_all',
          period: '2025-05-01',
          methodology: 'test-chain',
          today,
        })
      ).interventions.map((i) => i.id);
    expect((await chainFor('londonLicensing')).sort()).toEqual([first, tagged].sort());
    expect(await chainFor('london')).toEqual([first]);
  });

  it('records reviews, actions and the exit; the board sees them but cannot change them', async () => {
    await expect(
      reviewIntervention(
        handle.db,
        as('board'),
        first,
        { reviewedOn: '2025-08-10', outcome: 'Improving', nextReview: '2025-11-10' },
        today,
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      reviewIntervention(
        handle.db,
        as('london'),
        first,
        { reviewedOn: '2025-08-10', outcome: 'x', nextReview: '2025-08-01' },
        today,
      ),
    ).rejects.toMatchObject({ problems: [{ field: 'nextReview' }] });
    const reviewed = await reviewIntervention(
      handle.db,
      as('london'),
      first,
      {
        reviewedOn: '2025-08-10',
        outcome: 'Streaming plan agreed; performance 72%.',
        nextReview: '2025-11-10',
      },
      today,
    );
    expect(reviewed.nextReview).toBe('2025-11-10');
    expect(reviewed.reviews).toHaveLength(1);
    const withAction = await addInterventionAction(
      handle.db,
      as('london'),
      first,
      { description: 'Peer review by a segment 1 trust', owner: 'Medical director', due: '2025-10-01' },
      today,
    );
    expect(withAction.actions).toEqual({ open: 3, overdue: 1 });
    const overdue = withAction.actionList.find((a) => a.overdue);
    const done = await completeInterventionAction(
      handle.db,
      as('london'),
      first,
      overdue?.id ?? 0,
      '2025-08-12',
      today,
    );
    expect(done.actions).toEqual({ open: 2, overdue: 0 });
    const ended = await exitIntervention(
      handle.db,
      as('london'),
      first,
      { closedOn: '2025-08-14', reason: 'Exit criteria met early: 79% for three months.' },
      today,
    );
    expect(ended).toMatchObject({ status: 'exited', closedOn: '2025-08-14' });
    await expect(
      exitIntervention(handle.db, as('london'), first, { closedOn: '2025-08-14', reason: 'again' }, today),
    ).rejects.toMatchObject({ code: 'conflict' });
    const board = await getIntervention(handle.db, people.board ?? null, first, today);
    expect(board).toMatchObject({ status: 'exited', canChange: false });
    const audited = await handle.db
      .selectFrom('audit_event')
      .select('action')
      .where('record_type', '=', 'intervention')
      .where('record_id', '=', String(first))
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.action)).toEqual([
      'intervention.record',
      'intervention.review',
      'intervention.action-add',
      'intervention.action-done',
      'intervention.exit',
    ]);
  });
});
