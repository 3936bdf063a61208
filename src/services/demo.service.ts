import { appendAuditEvents } from '../db/audit.repository.js';
import { insertTemplate } from '../db/template.repository.js';
import type { CollectionTemplate } from '../domain/collection-template.js';
import type { TemplateRules } from '../domain/return-validation.js';
import { systemActor } from '../domain/audit.js';
import type { Db, DatabaseHandle } from '../db/database.js';
import { findDatasetMarker, insertDatasetMarker } from '../db/dataset-marker.repository.js';
import {
  completeImportRun,
  ensureReportingCodes,
  extendObservationExtent,
  insertImportRun,
  observationCopyColumns,
} from '../db/observation.repository.js';
import {
  countOrganisationsByProvenance,
  listOrganisationsAt,
  listOrganisationsWithProvenance,
} from '../db/organisation.repository.js';
import { addDays, todayIsoDate, type IsoDate } from '../domain/iso-date.js';
import { addMonths, financialYearLabel, periodContaining, periodTypeCodes } from '../domain/period.js';
import { PeriodExtents } from '../domain/period-extent.js';
import { generateDemoObservations } from './demo-metrics.js';
import { getMetricCatalogue } from './metric-catalogue.service.js';
import { refreshRollupCacheAfterWrite, type CacheRefreshAfterWrite } from './dashboard.service.js';
import { refreshPlacements } from './placement.service.js';
import { AppError, conflict } from '../domain/errors.js';
import type { Principal } from '../domain/access.js';
import type { ReturnStep } from '../domain/return-workflow.js';
import { advanceSubmission, saveSubmission } from './submission.service.js';
import { advancePlan, createRound, savePlan, setEnvelope } from './planning.service.js';
import { roundMonths } from '../domain/planning.js';
import { demoMarkerKey } from './dataset.service.js';
import { loadDemoAccountability, type DemoAccountabilitySummary } from './demo-accountability.js';
import { generateDemoPlan, type DemoOperation } from './demo-plan.js';
import {
  absorbOrganisations,
  assignRole,
  mergeOrganisations,
  openOrganisation,
  reparentOrganisation,
  reviseOrganisation,
  splitOrganisation,
  type ChangeContext,
} from './hierarchy.service.js';
import { ensureReferenceStructure } from './reference-data.service.js';

const context: ChangeContext = {
  source: 'demo-generator',
  provenance: 'demo',
  actor: systemActor,
  auditEachEvent: false,
};

export interface DemoLoadSummary {
  seed: number;
  operations: number;
  organisations: number;
  observations: number;
  /** Returns loaded in the workflow's states (A&E, latest month). */
  returns: number;
  /** Plans of London's trusts and ICBs for this year's round. */
  plans: number;
  /** Programmes, standards and declarations, interventions, governance and mutual aid. */
  accountability: DemoAccountabilitySummary;
  rollups: CacheRefreshAfterWrite;
}

/** True when the database holds nothing but NHS England's reference structure. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const counts = await countOrganisationsByProvenance(db);
  const other = Object.entries(counts).filter(([provenance]) => provenance !== 'reference');
  return other.every(([, count]) => count === 0) && !(await findDatasetMarker(db, demoMarkerKey));
}

/**
 * Loads the generated demonstration dataset in one transaction, through the same hierarchy events as
 * real changes, with monthly figures for every generated trust, and marks the database as holding
 * demo data (every page and response then says so).
 */
/**
 * The collections that would bring the demo's figures in: monthly A&E, beds, elective, finance and
 * workforce returns from trusts, each item collected once, and a draft winter return that repeats an A&E
 * item (activating it is refused under the collect-once rule).
 */
const demoSchedule = { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 };
// Every demo return is tested against the trust's own last two years; the A&E and bed returns check
// that their parts add up.
const demoOutliers = { method: 'spc' as const, minHistory: 12, severity: 'warning' as const };
const check = (
  code: string,
  expression: string,
  message: string,
  severity: 'error' | 'warning' = 'error',
) => ({
  code,
  expression,
  message,
  severity,
});
const demoRules: Record<string, TemplateRules> = {
  'ae-monthly': {
    items: {},
    outliers: demoOutliers,
    checks: [
      check(
        'type1-breaches-within-attendances',
        'ae_breaches_4h_type1 <= ae_attendances_type1',
        'Type 1 breaches cannot exceed type 1 attendances',
      ),
      check(
        'all-breaches-within-attendances',
        'ae_breaches_4h_all <= ae_attendances_all',
        'Breaches cannot exceed attendances',
      ),
      check(
        'attendances-add-up',
        'ae_attendances_all == ae_attendances_type1 + ae_attendances_other',
        'All attendances should be type 1 plus other types',
        'warning',
      ),
    ],
  },
  'beds-monthly': {
    items: {},
    outliers: demoOutliers,
    checks: [
      check(
        'occupied-within-available',
        'ga_beds_occupied <= ga_beds_available',
        'Occupied G&A beds cannot exceed available beds',
        'warning',
      ),
      check(
        'critical-care-within-available',
        'cc_adult_beds_occupied <= cc_adult_beds_available',
        'Occupied adult critical care beds cannot exceed available beds',
        'warning',
      ),
    ],
  },
};
const demoTemplates: CollectionTemplate[] = [
  [
    'ae-monthly',
    'A&E attendances and emergency admissions',
    [
      'ae_attendances_type1',
      'ae_attendances_other',
      'ae_attendances_all',
      'ae_breaches_4h_type1',
      'ae_breaches_4h_other',
      'ae_breaches_4h_all',
      'ae_emergency_admissions_type1',
      'ae_emergency_admissions_other',
      'ae_emergency_admissions_all',
      'ae_dta_over_4h',
    ],
  ],
  [
    'beds-monthly',
    'Bed availability and occupancy',
    [
      'ga_beds_available',
      'ga_beds_occupied',
      'ga_adult_beds_available',
      'ga_paediatric_beds_available',
      'ga_adult_beds_occupied',
      'ga_paediatric_beds_occupied',
      'cc_adult_beds_available',
      'cc_adult_beds_occupied',
    ],
  ],
  [
    'rtt-monthly',
    'Referral to treatment waiting times',
    ['rtt_over_18w_all_parts', 'rtt_over_52w_all_parts'],
  ],
  ['finance-monthly', 'Finance monitoring', ['fin_income', 'fin_pay_expenditure', 'fin_non_pay_expenditure']],
  [
    'workforce-monthly',
    'Workforce',
    ['wf_staff_in_post_wte', 'wf_establishment_wte', 'wf_days_available', 'wf_sickness_days_lost'],
  ],
].map(([code, name, items]) => ({
  code: code as string,
  name: name as string,
  description: 'Generated demonstration collection.',
  periodType: 'month' as const,
  organisationKinds: ['nhs-trust'],
  items: items as string[],
  schedule: demoSchedule,
  rules: demoRules[code as string] ?? { items: {}, checks: [], outliers: demoOutliers },
  activeFrom: '2018-04-01',
  retiredFrom: null,
}));
demoTemplates.push({
  code: 'winter-sitrep',
  name: 'Winter daily situation report (draft)',
  description: 'A draft that repeats an A&E item: the collect-once rule refuses to activate it.',
  periodType: 'month',
  organisationKinds: ['nhs-trust'],
  items: ['ae_attendances_all', 'ga_beds_occupied'],
  schedule: demoSchedule,
  rules: { items: {}, checks: [] },
  activeFrom: null,
  retiredFrom: null,
});

export async function loadDemoDataset(
  handle: DatabaseHandle,
  options: { seed?: number; today?: IsoDate; onProgress?: (done: number, total: number) => void } = {},
): Promise<DemoLoadSummary> {
  await ensureReferenceStructure(handle.db);
  if (!(await isDatabaseEmpty(handle.db))) {
    throw conflict(
      'The database already holds organisations other than the reference structure, so the demo dataset was not loaded. ' +
        'Use a new data directory (OVERSIGHT_DATA_DIR) or database for the demo.',
    );
  }
  const plan = generateDemoPlan(options.seed);
  const summary = await handle.bulkTransaction(async (session) => {
    const ex = session.db;
    const total = plan.operations.length + 1;
    let done = 0;
    for (const operation of plan.operations) {
      await applyOperation(ex, operation);
      done += 1;
      if (done % 25 === 0) options.onProgress?.(done, total);
    }

    const trusts = await listOrganisationsWithProvenance(ex, 'demo', 'nhs-trust');
    const lastMonth = periodContaining(
      'month',
      addDays(periodContaining('month', options.today ?? todayIsoDate()).start, -1),
    ).start;
    const observations = generateDemoObservations(trusts, lastMonth, plan.seed);
    const catalogue = await getMetricCatalogue(ex);
    const codeIds = await ensureReportingCodes(
      ex,
      trusts.map((t) => t.odsCode),
    );
    const runId = await insertImportRun(ex, {
      source: 'demo-generator',
      fileName: 'generated demonstration figures',
      sha256: null,
      url: null,
      provenance: 'demo',
      startedAt: new Date(),
    });
    const lines: string[] = [];
    for (const o of observations) {
      const item = catalogue.itemByCode.get(o.item);
      if (!item) throw new Error(`Demo data item ${o.item} is not in the catalogue`);
      lines.push(
        `${codeIds.get(o.odsCode)},${item.id},${periodTypeCodes.month},${o.periodStart},${o.value},${runId}\n`,
      );
    }
    const chunk = 50_000;
    await session.copyCsv(
      'observation',
      observationCopyColumns,
      Array.from({ length: Math.ceil(lines.length / chunk) }, (_, i) =>
        lines.slice(i * chunk, (i + 1) * chunk).join(''),
      ),
    );
    const extents = new PeriodExtents<number>();
    for (const o of observations) extents.add(catalogue.itemByCode.get(o.item)?.id ?? 0, o.periodStart);
    await extendObservationExtent(
      ex,
      extents.entries().map(([itemId, extent]) => ({ itemId, periodType: periodTypeCodes.month, ...extent })),
    );
    await completeImportRun(ex, runId, { generated: observations.length, trusts: trusts.length }, null);
    for (const template of demoTemplates) await insertTemplate(ex, template, 'NHS Oversight (demo)');
    await insertDatasetMarker(ex, demoMarkerKey, {
      seed: plan.seed,
      generator: 'demo-plan v1',
      observations: observations.length,
    });
    await refreshPlacements(ex);
    await appendAuditEvents(ex, systemActor, [
      {
        action: 'demo.load',
        recordType: 'dataset',
        recordId: demoMarkerKey,
        before: null,
        after: { seed: plan.seed, operations: plan.operations.length, observations: observations.length },
      },
    ]);
    options.onProgress?.(total, total);
    const counts = await countOrganisationsByProvenance(ex);
    // The latest month's A&E figures of the first trusts, for returns in every state of the workflow.
    const aeItems = new Set(demoTemplates.find((t) => t.code === 'ae-monthly')?.items ?? []);
    const returnValues = new Map<string, Record<string, number>>();
    for (const o of observations)
      if (o.periodStart === lastMonth && aeItems.has(o.item))
        returnValues.set(o.odsCode, { ...returnValues.get(o.odsCode), [o.item]: o.value });
    // Last year's figures of every trust, month by month, on which the demo's plans for this year are built.
    const yearStart = periodContaining('financial-year', lastMonth).start;
    const lastYear = roundMonths(addMonths(yearStart, -12));
    const planBase = new Map<string, Record<string, number[]>>();
    for (const o of observations) {
      const month = lastYear.indexOf(o.periodStart);
      if (month < 0 || !demoPlanItems.includes(o.item)) continue;
      const values = planBase.get(o.odsCode) ?? {};
      (values[o.item] ??= Array.from({ length: lastYear.length }, () => 0))[month] = o.value;
      planBase.set(o.odsCode, values);
    }
    return {
      planBase,
      yearStart,
      summary: {
        seed: plan.seed,
        operations: plan.operations.length,
        organisations: counts.demo ?? 0,
        observations: observations.length,
      },
      returns: [...returnValues.entries()]
        .filter(([, values]) => Object.keys(values).length === aeItems.size)
        .sort(([a], [b]) => a.localeCompare(b))
        .slice(0, demoReturnStates.length)
        .map(([odsCode, values]) => ({ odsCode, values })),
      lastMonth,
    };
  });
  // The dashboards are built first; the returns then go through the workflow as real ones would.
  const rollups = await refreshRollupCacheAfterWrite(handle.db);
  const returns = await loadDemoReturns(handle.db, summary.returns, summary.lastMonth);
  const plans = await loadDemoPlans(handle.db, summary.planBase, summary.yearStart);
  const accountability = await loadDemoAccountability(handle.db, options.today ?? todayIsoDate());
  return { ...summary.summary, returns, plans, accountability, rollups };
}

/** Where the demo's returns stand: a few at each step, so every page of the workflow has something to show. */
const demoReturnStates = [
  'locked',
  'locked',
  'accepted',
  'accepted',
  'approved',
  'approved',
  'submitted',
  'submitted',
  'submitted',
  'returned',
  'draft',
] as const;

// The demo acts as submitter, ICB and region everywhere; the audit trail names it.
const demoPrincipal: Principal = {
  kind: 'user',
  userId: 0,
  label: 'NHS Oversight (demo)',
  isAdmin: false,
  grants: [
    { role: 'trust-data-submitter', scopeOrganisationId: null },
    { role: 'icb-lead', scopeOrganisationId: null },
    { role: 'regional-team', scopeOrganisationId: null },
  ],
  functions: [],
};

/**
 * A&E returns for the latest month from the first trusts, through the same workflow as real ones: the
 * figures are the generated ones, so accepting them changes no dashboard. Data-quality warnings (the generator
 * makes outliers) are explained as demo figures.
 */
async function loadDemoReturns(
  db: Db,
  returns: ReadonlyArray<{ odsCode: string; values: Record<string, number> }>,
  periodStart: IsoDate,
): Promise<number> {
  const explanation = 'Generated demonstration figure: not a real return.';
  for (const [i, r] of returns.entries()) {
    const state = demoReturnStates[i] ?? 'draft';
    const input = {
      template: 'ae-monthly',
      odsCode: r.odsCode,
      periodStart,
      values: r.values,
      submit: state !== 'draft',
    };
    let saved;
    try {
      saved = await saveSubmission(db, demoPrincipal, input, null);
    } catch (error) {
      // Explain what needs explaining, and submit again.
      if (!(error instanceof AppError) || error.code !== 'invalid-input') throw error;
      const keys = error.problems.flatMap((p) =>
        p.field?.startsWith('explanations.') ? [p.field.slice(13)] : [],
      );
      if (keys.length === 0) throw error;
      saved = await saveSubmission(
        db,
        demoPrincipal,
        { ...input, explanations: Object.fromEntries(keys.map((k) => [k, explanation])) },
        null,
      );
    }
    const steps: Array<[ReturnStep, string | null]> =
      state === 'returned'
        ? [['return', 'Type 1 breaches look low against the ECDS extract: please check and resubmit.']]
        : state === 'approved'
          ? [['approve', null]]
          : state === 'accepted'
            ? [
                ['approve', null],
                ['accept', null],
              ]
            : state === 'locked'
              ? [
                  ['approve', null],
                  ['accept', null],
                  ['lock', null],
                ]
              : [];
    for (const [step, reason] of steps)
      await advanceSubmission(db, demoPrincipal, saved.id, step, reason, null);
  }
  return returns.length;
}

async function applyOperation(
  trx: Parameters<typeof openOrganisation>[0],
  operation: DemoOperation,
): Promise<void> {
  switch (operation.op) {
    case 'open':
      await openOrganisation(trx, context, {
        odsCode: operation.odsCode,
        name: operation.name,
        kind: operation.kind,
        sector: operation.sector,
        postcode: operation.postcode,
        parentCode: operation.parentCode,
        date: operation.date,
        reason: 'Generated demonstration organisation.',
        ...(operation.parentFrom ? { parentFrom: operation.parentFrom } : {}),
      });
      return;
    case 'merge':
      await mergeOrganisations(trx, context, {
        predecessorCodes: operation.predecessorCodes,
        successor: operation.successor,
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'absorb':
      await absorbOrganisations(trx, context, {
        predecessorCodes: operation.predecessorCodes,
        acquirerCode: operation.acquirerCode,
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'split':
      await splitOrganisation(trx, context, {
        odsCode: operation.odsCode,
        successors: operation.successors.map((newOrganisation) => ({ newOrganisation })),
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'rename':
      await reviseOrganisation(trx, context, {
        odsCode: operation.odsCode,
        date: operation.date,
        reason: operation.reason,
        changes: { name: operation.name },
      });
      return;
    case 'reparent':
      await reparentOrganisation(trx, context, {
        odsCode: operation.odsCode,
        parentCode: operation.parentCode,
        date: operation.date,
        reason: operation.reason,
      });
      return;
    case 'role':
      await assignRole(trx, context, {
        odsCode: operation.odsCode,
        role: 'regional-director',
        holderName: operation.holderName,
        date: operation.date,
        reason: operation.reason,
      });
      return;
  }
}

const demoPlanItems = [
  'fin_income',
  'fin_pay_expenditure',
  'fin_non_pay_expenditure',
  'ae_attendances_all',
  'ae_breaches_4h_all',
];
const financeItems = ['fin_income', 'fin_pay_expenditure', 'fin_non_pay_expenditure'];
// Growth on last year: more income and activity, pay rising faster than non-pay, fewer long waits.
const demoGrowth: Record<string, number> = {
  fin_income: 1.03,
  fin_pay_expenditure: 1.04,
  fin_non_pay_expenditure: 1.02,
  ae_attendances_all: 1.02,
  ae_breaches_4h_all: 0.9,
};

/**
 * This year's planning round, with plans from London's trusts and ICBs built on last year's figures: block
 * contracts between each trust and its ICB (one that the ICB plans 1% lower), each ICB's envelope expecting a
 * little more A&E activity than its trusts plan, plans at every step, and one revision that helps its trust but
 * worsens its system.
 */
async function loadDemoPlans(
  db: Db,
  base: ReadonlyMap<string, Record<string, number[]>>,
  yearStart: IsoDate,
): Promise<number> {
  const code = financialYearLabel(yearStart).replace('/', '-');
  await createRound(
    db,
    systemActor,
    {
      code,
      name: `Operational and financial planning ${financialYearLabel(yearStart)} (demo)`,
      yearStart,
      guidance: 'Generated demonstration round: the plans are built on the demo figures of the year before.',
      items: { 'nhs-trust': demoPlanItems, icb: financeItems },
      opens: addMonths(yearStart, -3),
      deadline: addDays(yearStart, -14),
      closes: addDays(addMonths(yearStart, 1), -1),
    },
    yearStart,
  );
  const orgs = await listOrganisationsAt(db, yearStart);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const icbs = orgs.filter(
    (o) => o.kind === 'icb' && o.parentId !== null && byId.get(o.parentId)?.odsCode === 'Y56',
  );
  const round = (n: number) => Math.round(n * 10) / 10;
  let count = 0;
  for (const icb of icbs) {
    const trusts = orgs
      .filter((o) => o.parentId === icb.id && base.has(o.odsCode))
      .sort((a, b) => a.odsCode.localeCompare(b.odsCode));
    if (trusts.length === 0) continue;
    const planned = trusts.map((t) => {
      const values: Record<string, number[]> = {};
      for (const item of demoPlanItems)
        values[item] = (base.get(t.odsCode)?.[item] ?? Array.from({ length: 12 }, () => 0)).map((v) =>
          round(v * (demoGrowth[item] ?? 1)),
        );
      const income = values.fin_income?.reduce((a, b) => a + b, 0) ?? 0;
      return { trust: t, values, income };
    });
    const block = (counterparty: string, value: number) => ({
      counterparty,
      serviceLine: 'Block contract',
      activity: 1,
      price: round(value),
    });
    for (const p of planned)
      await savePlan(
        db,
        demoPrincipal,
        {
          round: code,
          odsCode: p.trust.odsCode,
          content: { values: p.values, flows: [block(icb.odsCode, p.income)] },
          submit: true,
          today: yearStart,
        },
        null,
      );
    // The ICB's allocation pays its trusts' blocks; it plans to pay its first trust 1% less than the trust expects.
    const payments = planned.map((p, i) => block(p.trust.odsCode, i === 0 ? p.income * 0.99 : p.income));
    const total = payments.reduce((a, b) => a + b.price, 0);
    const monthly = (annual: number) => Array.from({ length: 12 }, () => round(annual / 12));
    await savePlan(
      db,
      demoPrincipal,
      {
        round: code,
        odsCode: icb.odsCode,
        content: {
          values: {
            fin_income: monthly(total),
            fin_pay_expenditure: monthly(0),
            fin_non_pay_expenditure: monthly(total),
          },
          flows: payments,
        },
        submit: true,
        today: yearStart,
      },
      null,
    );
    const attendances = planned.reduce(
      (a, p) => a + (p.values.ae_attendances_all ?? []).reduce((x, y) => x + y, 0),
      0,
    );
    await setEnvelope(db, { principal: null, actor: systemActor }, code, icb.odsCode, {
      controlTotal: 0,
      activity: [{ item: 'ae_attendances_all', quantity: Math.round(attendances * 1.01), unitCost: 0.3 }],
    });
    count += planned.length + 1;
    // Plans at every step: the first trust's plan is returned and revised (less activity, less non-pay),
    // the second approved, the third accepted; the ICB's own plan is with its region.
    const [first, second, third] = planned;
    if (first) {
      await advancePlan(
        db,
        demoPrincipal,
        code,
        first.trust.odsCode,
        'return',
        'Revise for the system savings programme.',
        null,
      );
      const values = {
        ...first.values,
        ae_attendances_all: (first.values.ae_attendances_all ?? []).map((v) => round(v * 0.95)),
        fin_non_pay_expenditure: (first.values.fin_non_pay_expenditure ?? []).map((v) => round(v * 0.99)),
      };
      await savePlan(
        db,
        demoPrincipal,
        {
          round: code,
          odsCode: first.trust.odsCode,
          content: { values, flows: [block(icb.odsCode, first.income)] },
          submit: true,
          today: yearStart,
        },
        null,
      );
    }
    if (second) await advancePlan(db, demoPrincipal, code, second.trust.odsCode, 'approve', null, null);
    if (third) {
      await advancePlan(db, demoPrincipal, code, third.trust.odsCode, 'approve', null, null);
      await advancePlan(db, demoPrincipal, code, third.trust.odsCode, 'accept', null, null);
    }
  }
  return count;
}
