import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal, Role } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import type { PlanFlow } from '../domain/planning.js';
import { buildTrust } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import {
  advancePlan,
  createRound,
  getPlanVsActual,
  getRoundSummary,
  getSystemPlan,
  offTrajectoryMeasures,
  savePlan,
  setEnvelope,
} from './planning.service.js';
import { advanceSubmission, saveSubmission } from './submission.service.js';
import { activateTemplate, createTemplate, getInbox, getLineage } from './template.service.js';

/**
 * The worked example of issue 8 on both engines: three trusts and their ICB plan 2026/27. The system misses
 * its envelope by £2,000k (T2's deficit and income T3 counts that the ICB does not plan to pay); T1's
 * revision helps T1 and worsens the system, and is flagged; the provider–commissioner mismatch is listed;
 * plan against actual comes from accepted returns. Figures in £000s, worked by hand in planning.test.ts.
 */

const today = '2026-06-20';
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
    ae_breaches_4h_all: monthly(attendances * 0.2),
  },
  flows,
});

describe('one planning process: the system against its envelope', () => {
  let handle: DatabaseHandle;
  const trusts: string[] = [];
  const people: Record<string, Principal> = {};

  const person = (label: string, role: Role, scope: number | null): Principal => ({
    kind: 'user',
    userId: label.length,
    label,
    isAdmin: false,
    grants: [{ role, scopeOrganisationId: scope }],
    functions: [],
  });

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    for (let i = 0; i < 3; i += 1)
      trusts.push(await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' }));
    const id = async (code: string) => (await findOrganisationByCode(db, code))?.id ?? 0;
    for (const [i, code] of trusts.entries())
      people[`t${i + 1}`] = person(`Submitter ${code}`, 'trust-data-submitter', await id(code));
    people.icb = person('SEL ICB lead', 'icb-lead', await id('QKK'));
    people.region = person('London regional team', 'regional-team', await id('Y56'));
    await createRound(
      db,
      systemActor,
      {
        code: '2026-27',
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
        opens: '2026-01-06',
        deadline: '2026-03-27',
        closes: '2026-04-30',
      },
      today,
    );
    await setEnvelope(db, { principal: people.region ?? null, actor: systemActor }, '2026-27', 'QKK', {
      controlTotal: 0,
      activity: [{ item: 'ae_attendances_all', quantity: 30_000, unitCost: 3.5 }],
    });
  });
  afterAll(async () => handle?.close());

  it('shows the gap against the envelope, a mismatch, and flags a revision that helps a trust but worsens the system', async () => {
    const db = handle.db;
    const [t1 = '', t2 = '', t3 = ''] = trusts;
    const submit = (who: string, org: string, content: unknown) =>
      savePlan(db, people[who] as Principal, { round: '2026-27', odsCode: org, content, submit: true }, null);
    await submit('t1', t1, trustPlan([120_000, 80_000, 38_000], 12_000, [acute('QKK', 12_000, 8)]));
    await submit('t2', t2, trustPlan([90_000, 60_000, 33_000], 10_000, [acute('QKK', 10_000, 7.5)]));
    await submit('t3', t3, trustPlan([60_000, 40_000, 19_000], 8_000, [acute('QKK', 8_000, 6)]));
    const icbPlan = await submit('icb', 'QKK', {
      values: {
        fin_income: monthly(250_000),
        fin_pay_expenditure: monthly(0),
        fin_non_pay_expenditure: monthly(250_000),
      },
      flows: [acute(t1, 12_000, 8), acute(t2, 10_000, 7.5), acute(t3, 8_000, 5.75)],
    });
    // The ICB's own plan goes straight to its region.
    expect(icbPlan).toMatchObject({ status: 'approved', party: 'commissioner', version: 1 });

    const system = await getSystemPlan(db, people.icb as Principal, '2026-27', 'QKK');
    expect(system.position).toMatchObject({
      membersSurplus: 0,
      unfundedInternalIncome: 2000,
      position: -2000,
      gap: -2000,
      affordable: false,
    });
    expect(system.position.drivers.map((d) => [d.kind, d.subject, Math.round(d.amount)])).toEqual([
      ['deficit', t2, 3000],
      ['unfunded-income', `${t3}→QKK`, 2000],
    ]);
    expect(system.mismatches).toEqual([
      expect.objectContaining({
        provider: t3,
        commissioner: 'QKK',
        difference: 2000,
        providerPlan: { activity: 8000, value: 48000 },
      }),
    ]);

    // T1 revises: 1,000 fewer attendances and £2,000k less non-pay. Returned for correction first (it is with the ICB).
    await advancePlan(
      db,
      people.icb as Principal,
      '2026-27',
      t1,
      'return',
      'Revise for the system savings programme',
      null,
    );
    const revised = await submit(
      't1',
      t1,
      trustPlan([120_000, 80_000, 36_000], 11_000, [acute('QKK', 12_000, 8)]),
    );
    expect(revised.version).toBe(2);
    expect(revised.impact).toMatchObject({ organisation: { change: 2000 }, flagged: true });
    expect(revised.impact?.system.change).toBeCloseTo(-1500, 6);
    const after = await getSystemPlan(db, people.region as Principal, '2026-27', 'QKK');
    expect(after.position.gap).toBeCloseTo(-3500, 6);
    expect(after.flaggedRevisions).toEqual([
      { odsCode: t1, explanation: expect.stringMatching(/worsens the system's by −£1,500k/) },
    ]);

    // The region sees every ICB of London with its gap.
    const summary = await getRoundSummary(db, people.region as Principal, '2026-27', 'Y56', today);
    expect(summary.systems.find((s) => s.icb.odsCode === 'QKK')).toMatchObject({
      asked: 4,
      envelopeSet: true,
      flaggedRevisions: 1,
    });
    expect(summary.systems.find((s) => s.icb.odsCode === 'QKK')?.gap).toBeCloseTo(-3500, 6);
    // One inbox: the trust's plan is there beside its returns, handed back and resubmitted, so done.
    const inbox = await getInbox(db, { principal: people.t1 as Principal, actor: systemActor }, t1, today);
    expect(inbox.items.find((i) => i.kind === 'plan')).toMatchObject({
      template: { code: '2026-27' },
      label: 'Plan for 2026/27',
      returnStatus: 'submitted',
      state: 'done',
    });
    // Plan items are data items like any other: lineage names the round that plans them.
    const lineage = await getLineage(db, today);
    expect(lineage.find((i) => i.item === 'fin_income')?.plans).toEqual(['2026-27']);
    // Another ICB's lead cannot see the system.
    await expect(
      getSystemPlan(
        db,
        person('NEL lead', 'icb-lead', (await findOrganisationByCode(db, 'QMF'))?.id ?? 0),
        '2026-27',
        'QKK',
      ),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses an incomplete submission, and a flow with a provider on both sides', async () => {
    const db = handle.db;
    const [t1 = '', t2 = ''] = trusts;
    await expect(
      savePlan(
        db,
        people.t2 as Principal,
        { round: '2026-27', odsCode: t2, content: { values: { fin_income: monthly(1) } }, submit: true },
        null,
      ),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: expect.arrayContaining([
        expect.objectContaining({ field: 'content.values.fin_pay_expenditure' }),
      ]),
    });
    await expect(
      savePlan(
        db,
        people.t1 as Principal,
        {
          round: '2026-27',
          odsCode: t1,
          content: { ...trustPlan([1, 1, 1], 1, [acute(t2, 1, 1)]) },
          submit: false,
        },
        null,
      ),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      problems: [
        expect.objectContaining({
          field: 'content.flows.0.counterparty',
          message: expect.stringMatching(/is a provider too/),
        }),
      ],
    });
  });

  it('sets plan against actual from accepted returns, for a trust and for its ICB', async () => {
    const db = handle.db;
    await createTemplate(
      db,
      systemActor,
      {
        code: 'ae-plan-actuals',
        name: 'A&E',
        periodType: 'month',
        organisationKinds: ['nhs-trust'],
        items: ['ae_attendances_all', 'ae_breaches_4h_all'],
        schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
      },
      today,
    );
    await activateTemplate(db, systemActor, 'ae-plan-actuals', '2026-04-01', today);
    const anyone: Principal = {
      kind: 'user',
      userId: 99,
      label: 'set-up',
      isAdmin: false,
      grants: [
        { role: 'trust-data-submitter', scopeOrganisationId: null },
        { role: 'icb-lead', scopeOrganisationId: null },
        { role: 'regional-team', scopeOrganisationId: null },
      ],
      functions: [],
    };
    // April 2026 actuals: 900, 1,000 and 600 attendances against plans of 916.7 (11,000/12), 833.3 and 666.7.
    for (const [code, attendances] of [
      [trusts[0], 900],
      [trusts[1], 1000],
      [trusts[2], 600],
    ] as const) {
      const r = await saveSubmission(
        db,
        anyone,
        {
          template: 'ae-plan-actuals',
          odsCode: code ?? '',
          periodStart: '2026-04-01',
          values: { ae_attendances_all: attendances, ae_breaches_4h_all: attendances / 10 },
          submit: true,
        },
        null,
      );
      await advanceSubmission(db, anyone, r.id, 'approve', null, null);
      await advanceSubmission(db, anyone, r.id, 'accept', null, null);
    }
    const trust = await getPlanVsActual(db, people.t1 as Principal, '2026-27', trusts[0] ?? '');
    const april = trust.items.find((i) => i.item === 'ae_attendances_all')?.series[0];
    expect(april?.actual).toBe(900);
    expect(april?.plan).toBeCloseTo(11_000 / 12, 6);
    expect(april?.variance).toBeCloseTo(900 - 11_000 / 12, 6);
    const icb = await getPlanVsActual(db, people.icb as Principal, '2026-27', 'QKK');
    expect(icb.organisations).toHaveLength(4);
    // The ICB plans no attendances: the trusts' plans and actuals add up (29,000 a year; 2,500 in April).
    const icbApril = icb.items.find((i) => i.item === 'ae_attendances_all')?.series[0];
    expect(icbApril?.plan).toBeCloseTo(29_000 / 12, 6);
    expect(icbApril?.actual).toBe(2500);
    // The 4-hour metric from planned items: 80% planned; 90% actual (a tenth breached).
    const fourHours = icb.metrics.find((m) => m.metric === 'ae_4h_all')?.series[0];
    expect(fourHours?.plan).toBeCloseTo(80, 6);
    expect(fourHours?.actual).toBeCloseTo(90, 6);
    expect(icb.metrics.find((m) => m.metric === 'ae_4h_all')?.offTrajectory).toBe(false);

    // May to July: three in ten wait over four hours (70% against a plan of 80%), three months running.
    for (const month of ['2026-05-01', '2026-06-01', '2026-07-01'])
      for (const code of trusts) {
        const r = await saveSubmission(
          db,
          anyone,
          {
            template: 'ae-plan-actuals',
            odsCode: code,
            periodStart: month,
            values: { ae_attendances_all: 1000, ae_breaches_4h_all: 300 },
            submit: true,
          },
          null,
        );
        await advanceSubmission(db, anyone, r.id, 'approve', null, null);
        await advanceSubmission(db, anyone, r.id, 'accept', null, null);
      }
    const off = await offTrajectoryMeasures(db, people.icb as Principal, 'QKK', '2026-08-15');
    expect(off).toEqual([
      expect.objectContaining({
        metric: 'ae_4h_all',
        month: '2026-07-01',
        actual: 70,
        round: expect.objectContaining({ code: '2026-27' }),
      }),
    ]);
    expect(off[0]?.plan).toBeCloseTo(80, 6);
    // Not for someone who may not read the ICB's plans, and not outside the round's year.
    const other = person('NEL lead', 'icb-lead', (await findOrganisationByCode(db, 'QMF'))?.id ?? 0);
    expect(await offTrajectoryMeasures(db, other, 'QKK', '2026-08-15')).toEqual([]);
    expect(await offTrajectoryMeasures(db, people.icb as Principal, 'QKK', '2025-08-15')).toEqual([]);
  });
});
