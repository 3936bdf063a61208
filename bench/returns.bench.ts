import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryExecutor,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Db } from '../src/db/database.js';
import { insertDataItem, insertMetric, insertMetricVersion } from '../src/db/metric.repository.js';
import {
  completeImportRun,
  ensureReportingCodes,
  extendObservationExtent,
  insertImportRun,
  listItemHistory,
  observationCopyColumns,
} from '../src/db/observation.repository.js';
import { findOrganisationByCode } from '../src/db/organisation.repository.js';
import type { Principal, Role } from '../src/domain/access.js';
import { systemActor } from '../src/domain/audit.js';
import { referenceSystems } from '../src/domain/nhs-england-structure.js';
import type { TrustSector } from '../src/domain/organisation.js';
import { addMonths, periodTypeCodes } from '../src/domain/period.js';
import type { ReturnDocument, ReturnFormat } from '../src/domain/return-document.js';
import {
  templateRulesSchema,
  validateReturn,
  type TemplateRulesInput,
} from '../src/domain/return-validation.js';
import { readReturn, returnFileName, writeReturn } from '../src/import/return-formats.js';
import { refreshRollupCache } from '../src/services/dashboard.service.js';
import { openOrganisation } from '../src/services/hierarchy.service.js';
import { advanceSubmission, getReturnLayout, saveSubmission } from '../src/services/submission.service.js';
import { activateTemplate, createTemplate } from '../src/services/template.service.js';
import { openPgliteBench, percentile, timeIt, type BenchEngine } from './bench-engines.js';
import type { BenchResult, BenchSuite } from './report.js';

/**
 * A national return round (issue 7): every trust in England (210, in the 42 ICBs) submits one 300-item
 * monthly return as a file, read, validated (20 cross-item checks, and an SPC outlier test of every item
 * against the trust's own last 24 months in the observation store) and stored with a version, audited;
 * about 5 % of trusts have a spike in one item and explain it in the file. Then every return is approved
 * by its ICB and accepted by its region (the values written to the observation store, the roll-ups
 * refreshed). The baseline is the database inserting the same values as one jsonb row per trust, one
 * transaction each. A profiled extra round says where a submission's time goes.
 */

const templateCode = 'bench-national';
const itemCount = 300;
const historyMonths = 24;
/** History runs for 24 months to November 2025; the round is December 2025, the XLSX round January 2026. */
const firstHistoryMonth = '2023-12-01';
const roundMonth = (round: number) => addMonths(firstHistoryMonth, historyMonths + round);
const today = '2026-04-15';
const pairChecks = 15;
const sumChecks = 5;
const spikeEvery = 20;
const sectors: Array<[TrustSector, number]> = [
  ['acute', 150],
  ['mental-health', 30],
  ['community', 18],
  ['ambulance', 12],
];

const itemCode = (i: number) => `bench_item_${String(i).padStart(3, '0')}`;
const itemCodes = Array.from({ length: itemCount }, (_, i) => itemCode(i + 1));

interface BenchTrust {
  index: number;
  odsCode: string;
  id: number;
  icb: string;
  region: string;
}

// --- generated figures ------------------------------------------------------------------------------

/** A deterministic number in [0, 1) for a trust, an item and a month. */
function unit(trust: number, item: number, month: number): number {
  let h = 2166136261;
  for (const part of [trust, item, month]) {
    h = Math.imul(h ^ part, 16777619) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * A trust's 300 values for a month (0–23 the history, 24 on the rounds): each item a level of its own with
 * ±4 % noise in the history and ±1 % after, so a new month sits well inside its SPC limits. Items 1–30 are
 * pairs (the even item a share of the odd one: `bench_item_002 <= bench_item_001`); items 31–45 are
 * triples whose third is the sum of the first two.
 */
function monthValues(trust: number, month: number): number[] {
  const spread = month < historyMonths ? 0.04 : 0.01;
  const free = (i: number) =>
    Math.round((500 + 9500 * unit(trust, i, 0)) * (1 + (unit(trust, i, month + 1) - 0.5) * 2 * spread));
  const values: number[] = [];
  for (let i = 1; i <= itemCount; i += 1) {
    if (i <= 2 * pairChecks && i % 2 === 0)
      values.push(Math.floor((values[i - 2] ?? 0) * (0.5 + 0.3 * unit(trust, i, 0))));
    else if (i > 2 * pairChecks && i <= 2 * pairChecks + 3 * sumChecks && (i - 2 * pairChecks) % 3 === 0)
      values.push((values[i - 3] ?? 0) + (values[i - 2] ?? 0));
    else values.push(free(i));
  }
  return values;
}

/** About one trust in 20 has a spike (three times its level) in one item in a round, explained in the file. */
function spikeOf(trust: number, round: number): number | null {
  if (trust % spikeEvery !== (3 + 7 * round) % spikeEvery) return null;
  const first = 2 * pairChecks + 3 * sumChecks + 1;
  return first + ((trust * 37 + round * 11) % (itemCount - first + 1));
}

function roundDocument(trust: BenchTrust, round: number): { doc: ReturnDocument; spike: string | null } {
  const numbers = monthValues(trust.index, historyMonths + round);
  const spike = spikeOf(trust.index, round);
  const values: Record<string, number | null> = {};
  numbers.forEach((value, i) => (values[itemCode(i + 1)] = i + 1 === spike ? value * 3 : value));
  const explanations: Record<string, string> =
    spike === null
      ? {}
      : {
          [itemCode(spike)]:
            'A one-off validation exercise this month counted the backlog as well: the figure is right.',
        };
  return {
    doc: {
      template: templateCode,
      odsCode: trust.odsCode,
      periodStart: roundMonth(round),
      values,
      explanations,
      locations: {},
    },
    spike: spike === null ? null : itemCode(spike),
  };
}

// --- setup --------------------------------------------------------------------------------------------

const rules: TemplateRulesInput = {
  checks: [
    ...Array.from({ length: pairChecks }, (_, k) => ({
      code: `pair-${String(k + 1).padStart(2, '0')}-within-total`,
      expression: `${itemCode(2 * k + 2)} <= ${itemCode(2 * k + 1)}`,
      message: `${itemCode(2 * k + 2)} is part of ${itemCode(2 * k + 1)} and cannot exceed it`,
      severity: 'error' as const,
    })),
    ...Array.from({ length: sumChecks }, (_, j) => {
      const a = 2 * pairChecks + 3 * j + 1;
      return {
        code: `parts-${String(j + 1).padStart(2, '0')}-add-up`,
        expression: `${itemCode(a)} + ${itemCode(a + 1)} == ${itemCode(a + 2)}`,
        message: `${itemCode(a + 2)} should be ${itemCode(a)} plus ${itemCode(a + 1)}`,
        severity: 'warning' as const,
      };
    }),
  ],
  outliers: { method: 'spc', minHistory: 12 },
};

async function openTrusts(engine: BenchEngine): Promise<BenchTrust[]> {
  const opened: Array<{ index: number; odsCode: string; icb: string; region: string }> = [];
  await engine.db.transaction().execute(async (trx) => {
    let n = 0;
    for (const [sector, count] of sectors) {
      for (let i = 0; i < count; i += 1) {
        n += 1;
        const odsCode = `RB${String(n).padStart(3, '0')}`;
        const system = referenceSystems[n % referenceSystems.length];
        if (!system) throw new Error('no reference ICBs');
        await openOrganisation(
          trx,
          { source: 'benchmark', provenance: 'manual', actor: systemActor, auditEachEvent: false },
          {
            odsCode,
            name: `Bench ${sector} trust ${n}`,
            kind: 'nhs-trust',
            sector,
            postcode: null,
            parentCode: system.code,
            date: '2016-04-01',
            reason: 'Benchmark',
          },
        );
        opened.push({ index: n, odsCode, icb: system.code, region: system.regionCode });
      }
    }
  });
  const trusts: BenchTrust[] = [];
  for (const trust of opened) {
    const found = await findOrganisationByCode(engine.db, trust.odsCode);
    if (!found) throw new Error(`trust ${trust.odsCode} was not opened`);
    trusts.push({ ...trust, id: found.id });
  }
  return trusts;
}

/** The 300 items, and 15 percentage metrics over the pairs, so accepting a return has roll-ups to refresh. */
async function addItemsAndMetrics(engine: BenchEngine): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await engine.db.transaction().execute(async (trx) => {
    for (const [i, code] of itemCodes.entries()) {
      ids.set(
        code,
        await insertDataItem(trx, {
          code,
          name: `Benchmark return item ${i + 1}`,
          description: 'Generated for the return round benchmark.',
          unit: 'count',
          temporalAggregation: 'sum',
          source: 'benchmark',
        }),
      );
    }
    for (let k = 1; k <= pairChecks; k += 1) {
      const id = await insertMetric(trx, {
        code: `bench_return_metric_${String(k).padStart(2, '0')}`,
        name: `Benchmark return metric ${k}`,
        description: 'Generated for the return round benchmark.',
        unit: '%',
        domain: 'operational-performance',
        polarity: 'higher-is-better',
        frequency: 'month',
        source: 'benchmark',
        caveat: null,
      });
      await insertMetricVersion(trx, id, {
        version: 1,
        effectiveFrom: '2010-04-01',
        reason: 'Benchmark',
        definition: {
          type: 'percentage',
          numerator: [{ item: itemCode(2 * k), coefficient: 1 }],
          denominator: [{ item: itemCode(2 * k - 1), coefficient: 1 }],
          multiplier: 100,
        },
      });
    }
  });
  return ids;
}

/** 24 months × 300 items for every trust, through the store's COPY path (as the demo loader does). */
async function loadHistory(
  engine: BenchEngine,
  trusts: BenchTrust[],
  itemIds: Map<string, number>,
): Promise<number> {
  const months = Array.from({ length: historyMonths }, (_, m) => addMonths(firstHistoryMonth, m));
  const periodType = periodTypeCodes.month;
  return engine.bulkTransaction(async (session) => {
    const codeIds = await ensureReportingCodes(
      session.db,
      trusts.map((t) => t.odsCode),
    );
    const runId = await insertImportRun(session.db, {
      source: 'benchmark',
      fileName: 'generated return history',
      sha256: null,
      url: null,
      provenance: 'manual',
      startedAt: new Date(),
    });
    const ids = itemCodes.map((code) => itemIds.get(code) ?? 0);
    let rows = 0;
    function* chunks(): Generator<string> {
      for (const trust of trusts) {
        const codeId = codeIds.get(trust.odsCode);
        const lines: string[] = [];
        for (const [m, month] of months.entries()) {
          for (const [i, value] of monthValues(trust.index, m).entries())
            lines.push(`${codeId},${ids[i]},${periodType},${month},${value},${runId}\n`);
        }
        rows += lines.length;
        yield lines.join('');
      }
    }
    await session.copyCsv('observation', observationCopyColumns, chunks());
    await extendObservationExtent(
      session.db,
      ids.map((itemId) => ({
        itemId,
        periodType,
        first: firstHistoryMonth,
        last: months.at(-1) ?? firstHistoryMonth,
      })),
    );
    await completeImportRun(session.db, runId, { generated: rows }, null);
    return rows;
  });
}

const person = (label: string, userId: number, role: Role, scope: number): Principal => ({
  kind: 'user',
  userId,
  label,
  isAdmin: false,
  grants: [{ role, scopeOrganisationId: scope }],
  functions: [],
});

// --- a profile of where a submission's time goes --------------------------------------------------------

/**
 * Times every statement Kysely runs through the database it is attached to, grouped by statement kind and
 * first table. PGlite runs one statement at a time and a transaction holds one connection, so a statement
 * is charged from when the one before it finished (statements started together by Promise.all queue).
 */
class StatementProfiler implements KyselyPlugin {
  readonly totals = new Map<string, { ms: number; count: number }>();
  private readonly started = new WeakMap<object, { at: number; label: string }>();
  private lastEnd = 0;

  constructor(private readonly executor: QueryExecutor) {}

  static label(text: string): string {
    const lower = text.trim().toLowerCase();
    const verb = lower.split(/\s+/, 1)[0] ?? '?';
    const patterns: Record<string, RegExp[]> = {
      insert: [/\binto\s+"?([a-z_]+)/],
      update: [/^update\s+"?([a-z_]+)/],
      analyze: [/^analyze\s+"?([a-z_]+)/],
      create: [/\btable\s+(?:if not exists\s+)?"?([a-z_]+)/, /\bon\s+"?([a-z_]+)/],
    };
    const table = (patterns[verb] ?? [/\bfrom\s+"?([a-z_]+)/])
      .map((pattern) => pattern.exec(lower)?.[1])
      .find((found) => found !== undefined);
    return `${verb} ${table ?? '…'}`;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const text = this.executor.compileQuery(args.node, args.queryId).sql;
    this.started.set(args.queryId, { at: performance.now(), label: StatementProfiler.label(text) });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(args.queryId);
    if (start) {
      const end = performance.now();
      const total = this.totals.get(start.label) ?? { ms: 0, count: 0 };
      total.ms += end - Math.max(start.at, this.lastEnd);
      total.count += 1;
      this.totals.set(start.label, total);
      this.lastEnd = end;
    }
    return args.result;
  }
}

/** Statements named by the code that runs them, where the table says which. */
const statementGroups: Array<[RegExp, string]> = [
  [/^select (data_item|metric|metric_version|metric_target)$/, 'catalogue (getMetricCatalogue)'],
  [/^select collection_template(_item)?$/, 'templates (listTemplates)'],
  [/^select observation$/, 'history (listItemHistory)'],
  [/^with organisation_parent$/, 'hierarchy paths (access checks)'],
  [/ audit_/, 'audit append'],
  [/ submission(_version|_request)?$/, 'submission rows'],
  [
    /observation_stage|^insert observation|observation_extent|^update observation/,
    'observation store writes',
  ],
  [/rollup|placement|hierarchy_event/, 'roll-ups and placements (refreshPlacements, the roll-up refresh)'],
];

function groupStatements(totals: ReadonlyMap<string, { ms: number; count: number }>) {
  const groups = new Map<string, { ms: number; count: number }>();
  for (const [label, total] of totals) {
    const name = statementGroups.find(([pattern]) => pattern.test(label))?.[1] ?? label;
    const group = groups.get(name) ?? { ms: 0, count: 0 };
    group.ms += total.ms;
    group.count += total.count;
    groups.set(name, group);
  }
  return [...groups.entries()].sort(([, a], [, b]) => b.ms - a.ms);
}

// --- the rounds ------------------------------------------------------------------------------------------

interface RoundTimes {
  totalMs: number;
  writeMs: number[];
  /** The template's layout read from the database (as the upload route does for every file). */
  layoutMs: number[];
  parseMs: number[];
  storeMs: number[];
  /** Read + validate + store: what the server does with an upload. */
  submissionMs: number[];
  ids: Map<string, number>;
  explained: number;
}

async function runRound(
  db: Db,
  trusts: BenchTrust[],
  format: ReturnFormat,
  round: number,
  submitters: Map<string, Principal>,
): Promise<RoundTimes> {
  const times: RoundTimes = {
    totalMs: 0,
    writeMs: [],
    layoutMs: [],
    parseMs: [],
    storeMs: [],
    submissionMs: [],
    ids: new Map(),
    explained: 0,
  };
  const started = performance.now();
  // The trust downloads the template's layout once; the server reads it with every upload.
  const writerLayout = await getReturnLayout(db, templateCode);
  for (const trust of trusts) {
    const { doc, spike } = roundDocument(trust, round);
    const t0 = performance.now();
    const bytes = await writeReturn(format, doc, writerLayout, { now: new Date(`${today}T09:00:00Z`) });
    const t1 = performance.now();
    const layout = await getReturnLayout(db, templateCode);
    const tLayout = performance.now();
    const read = await readReturn(format, bytes, layout, returnFileName(doc, format));
    const t2 = performance.now();
    const submitter = submitters.get(trust.odsCode);
    if (!submitter) throw new Error(`no submitter for ${trust.odsCode}`);
    const view = await saveSubmission(
      db,
      submitter,
      {
        template: read.template,
        odsCode: read.odsCode,
        periodStart: read.periodStart,
        values: read.values,
        explanations: read.explanations,
        locations: read.locations,
        submit: true,
        sourceFormat: format,
      },
      `bench-${round}-${trust.odsCode}`,
    );
    const t3 = performance.now();
    const warned = view.warnings.map((w) => w.item ?? w.rule);
    if (view.status !== 'submitted' || warned.join() !== (spike ?? ''))
      throw new Error(
        `${trust.odsCode} round ${round}: ${view.status} with warnings [${warned.join(', ')}], expected [${spike ?? ''}]`,
      );
    if (spike) times.explained += 1;
    times.ids.set(trust.odsCode, view.id);
    times.writeMs.push(t1 - t0);
    times.layoutMs.push(tLayout - t1);
    times.parseMs.push(t2 - tLayout);
    times.storeMs.push(t3 - t2);
    times.submissionMs.push(t3 - t1);
  }
  times.totalMs = performance.now() - started;
  return times;
}

const ms = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));
const spread = (values: number[]) =>
  `p50 ${ms(percentile(values, 50))} ms, p95 ${ms(percentile(values, 95))} ms, max ${ms(Math.max(...values))} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const count = (value: number) => value.toLocaleString('en-GB');

async function run(engine: BenchEngine): Promise<BenchResult[]> {
  const db = engine.db;
  // Setup, not timed: England's trusts, the catalogue items, the template, two years of history.
  // BENCH_RETURNS_TRUSTS runs a smaller round (for trying the suite out); the report is of all 210.
  const trusts = (await openTrusts(engine)).slice(0, Number(process.env.BENCH_RETURNS_TRUSTS ?? 210));
  const itemIds = await addItemsAndMetrics(engine);
  await createTemplate(
    db,
    systemActor,
    {
      code: templateCode,
      name: 'National benchmark return',
      description: 'Generated for the return round benchmark: 300 items from every trust, monthly.',
      periodType: 'month',
      organisationKinds: ['nhs-trust'],
      items: itemCodes,
      schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
      rules,
    },
    today,
  );
  await activateTemplate(db, systemActor, templateCode, '2023-04-01', today);
  let historyRows = 0;
  const historyMs = await timeIt(async () => {
    historyRows = await loadHistory(engine, trusts, itemIds);
  });
  await engine.raw('analyze');
  const cacheMs = await timeIt(() => refreshRollupCache(db));

  const ids = async (code: string) => (await findOrganisationByCode(db, code))?.id ?? 0;
  const submitters = new Map<string, Principal>();
  for (const trust of trusts)
    submitters.set(
      trust.odsCode,
      person(`Data submitter, ${trust.odsCode}`, 100_000 + trust.index, 'trust-data-submitter', trust.id),
    );
  const icbs = new Map<string, Principal>();
  const regions = new Map<string, Principal>();
  for (const [n, system] of referenceSystems.entries()) {
    icbs.set(
      system.code,
      person(`ICB lead, ${system.code}`, 200_000 + n, 'icb-lead', await ids(system.code)),
    );
    if (!regions.has(system.regionCode))
      regions.set(
        system.regionCode,
        person(
          `Regional team, ${system.regionCode}`,
          300_000 + regions.size,
          'regional-team',
          await ids(system.regionCode),
        ),
      );
  }

  // Baseline: the database storing the same values with nothing else, a transaction per trust.
  await engine.raw(
    'create table bench_raw_return (ods_code text not null, period_start date not null, item_values jsonb not null, primary key (ods_code, period_start))',
  );
  const rawMs: number[] = [];
  const rawTotalMs = await timeIt(async () => {
    for (const trust of trusts) {
      const { doc } = roundDocument(trust, 0);
      rawMs.push(
        await timeIt(() =>
          db
            .transaction()
            .execute((trx) =>
              sql`insert into bench_raw_return values (${doc.odsCode}, ${doc.periodStart}::date, ${JSON.stringify(doc.values)}::jsonb)`.execute(
                trx,
              ),
            ),
        ),
      );
    }
  });

  // The round: every trust's CSV written, read, validated and stored.
  const loadAtStart = loadavg()[0] ?? 0;
  const csv = await runRound(db, trusts, 'csv', 0, submitters);

  // Every return approved by its ICB, then accepted by its region (values into the store, roll-ups refreshed).
  const approveMs: number[] = [];
  const acceptMs: number[] = [];
  const approveTotalMs = await timeIt(async () => {
    for (const trust of trusts) {
      const icb = icbs.get(trust.icb);
      if (!icb) throw new Error(`no ICB lead for ${trust.icb}`);
      const id = csv.ids.get(trust.odsCode) ?? 0;
      approveMs.push(
        await timeIt(() => advanceSubmission(db, icb, id, 'approve', null, `bench-approve-${id}`)),
      );
    }
  });
  const acceptTotalMs = await timeIt(async () => {
    for (const trust of trusts) {
      const region = regions.get(trust.region);
      if (!region) throw new Error(`no regional team for ${trust.region}`);
      const id = csv.ids.get(trust.odsCode) ?? 0;
      acceptMs.push(
        await timeIt(() => advanceSubmission(db, region, id, 'accept', null, `bench-accept-${id}`)),
      );
    }
  });
  const written = Number(
    (
      await engine.raw('select count(*) as n from observation where is_current and period_start = $1::date', [
        roundMonth(0),
      ])
    )[0]?.n ?? 0,
  );
  if (written !== trusts.length * itemCount)
    throw new Error(`accepting wrote ${written} values, not ${trusts.length * itemCount}`);
  const england = Number(
    (
      await engine.raw(
        `select r.reported from metric_rollup r join metric m on m.id = r.metric_id
         join organisation o on o.id = r.aggregate_id
         where m.code = 'bench_return_metric_01' and o.ods_code = 'X24' and r.period_start = $1::date`,
        [roundMonth(0)],
      )
    )[0]?.reported ?? 0,
  );
  if (england !== trusts.length)
    throw new Error(`England's roll-up counts ${england} trusts after acceptance`);

  // The next month's round as the generated workbook (XLSX), against history that now includes December.
  const xlsx = await runRound(db, trusts, 'xlsx', 1, submitters);

  // Where the time goes: a third round (CSV) for every fifth trust with every statement timed, then its
  // approval and acceptance likewise; and the validation and the history query alone for one trust.
  const profiled = trusts.filter((_, i) => i % 5 === 0);
  const submitProfile = new StatementProfiler(db.getExecutor());
  const profileRound = await runRound(db.withPlugin(submitProfile), profiled, 'csv', 2, submitters);
  const acceptProfile = new StatementProfiler(db.getExecutor());
  const profiledDb = db.withPlugin(acceptProfile);
  const profiledAcceptMs: number[] = [];
  for (const trust of profiled) {
    const id = profileRound.ids.get(trust.odsCode) ?? 0;
    const icb = icbs.get(trust.icb);
    const region = regions.get(trust.region);
    if (!icb || !region) throw new Error(`no ICB lead or regional team for ${trust.odsCode}`);
    await advanceSubmission(db, icb, id, 'approve', null, null);
    profiledAcceptMs.push(
      await timeIt(() => advanceSubmission(profiledDb, region, id, 'accept', null, null)),
    );
  }
  const sample = trusts[0];
  if (!sample) throw new Error('no trusts');
  const { doc: sampleDoc } = roundDocument(sample, 3);
  const historyQuery = () =>
    listItemHistory(db, {
      odsCode: sample.odsCode,
      itemCodes,
      periodType: periodTypeCodes.month,
      since: addMonths(sampleDoc.periodStart, -historyMonths),
      before: sampleDoc.periodStart,
    });
  const history = await historyQuery();
  const parsedRules = templateRulesSchema.parse(rules);
  const items = itemCodes.map((code) => ({ code, name: code, unit: 'count' as const }));
  const validateMs: number[] = [];
  const historyQueryMs: number[] = [];
  for (let i = 0; i < 23; i += 1) {
    const validation = await timeIt(async () =>
      validateReturn({ document: sampleDoc, items, rules: parsedRules, history }),
    );
    const query = await timeIt(historyQuery);
    if (i < 3) continue;
    validateMs.push(validation);
    historyQueryMs.push(query);
  }
  const breakdown = (profiler: StatementProfiler, totalMs: number, n: number) => {
    const statements = [...profiler.totals.values()];
    const sqlMs = statements.reduce((a, b) => a + b.ms, 0);
    const calls = statements.reduce((a, b) => a + b.count, 0);
    const top = groupStatements(profiler.totals)
      .slice(0, 6)
      .map(
        ([name, t]) =>
          `${name} ${ms(t.ms / n)} ms (${Number((t.count / n).toFixed(1))} ${t.count === n ? 'statement' : 'statements'})`,
      );
    console.error(
      [...profiler.totals.entries()]
        .sort(([, a], [, b]) => b.ms - a.ms)
        .map(
          ([label, t]) => `    ${label}: ${(t.ms / n).toFixed(2)} ms, ${(t.count / n).toFixed(1)} per call`,
        )
        .join('\n'),
    );
    return `${ms(totalMs / n)} ms in all, ${(calls / n).toFixed(0)} statements: SQL ${ms(sqlMs / n)} ms — ${top.join('; ')}; outside the statements ${ms((totalMs - sqlMs) / n)} ms`;
  };
  const profiledSubmissions = breakdown(
    submitProfile,
    profileRound.submissionMs.reduce((a, b) => a + b, 0),
    profiled.length,
  );
  const profiledAccepts = breakdown(
    acceptProfile,
    profiledAcceptMs.reduce((a, b) => a + b, 0),
    profiled.length,
  );

  const values = trusts.length * itemCount;
  const rate = trusts.length / (csv.totalMs / 1000);
  const targetMet = csv.totalMs < 60_000;
  const p50 = (values: number[]) => ms(percentile(values, 50));
  return [
    {
      name: `National return round, CSV: ${trusts.length} trusts × ${itemCount} items (${count(values)} values) for ${roundMonth(0).slice(0, 7)}, one after another: each file written, read, validated (${pairChecks + sumChecks} cross-item checks, an SPC outlier test of every item against the trust's last ${historyMonths} months) and stored with a version, audited; ${csv.explained} trusts explain a spike in the file`,
      value: `${seconds(csv.totalMs)} end to end, ${rate.toFixed(1)} submissions/s; per submission (layout, read, validate, store) ${spread(csv.submissionMs)}; at p50 layout ${p50(csv.layoutMs)} ms, read ${p50(csv.parseMs)} ms, saveSubmission ${p50(csv.storeMs)} ms; writing each CSV p50 ${p50(csv.writeMs)} ms`,
      baseline: `plain SQL: each trust's ${itemCount} values inserted as one jsonb row, a transaction per trust: ${seconds(rawTotalMs)} in all, p50 ${p50(rawMs)} ms per trust`,
      ratio: `${(csv.totalMs / rawTotalMs).toFixed(0)}× a raw insert end to end (saveSubmission ${(percentile(csv.storeMs, 50) / percentile(rawMs, 50)).toFixed(0)}× at p50); target "in seconds end to end" (under a minute) ${targetMet ? 'met' : 'not met'}`,
    },
    {
      name: `The same round as the generated Excel workbook (XLSX) for ${roundMonth(1).slice(0, 7)}; ${xlsx.explained} trusts explain a spike`,
      value: `${seconds(xlsx.totalMs)} end to end, ${(trusts.length / (xlsx.totalMs / 1000)).toFixed(1)} submissions/s; per submission (layout, read, validate, store) ${spread(xlsx.submissionMs)}; at p50 read ${p50(xlsx.parseMs)} ms, saveSubmission ${p50(xlsx.storeMs)} ms; writing each workbook p50 ${p50(xlsx.writeMs)} ms`,
      baseline: `the CSV round: per submission p50 ${p50(csv.submissionMs)} ms, p95 ${ms(percentile(csv.submissionMs, 95))} ms`,
      ratio: `${(percentile(xlsx.submissionMs, 50) / percentile(csv.submissionMs, 50)).toFixed(1)}× the CSV round at p50`,
    },
    {
      name: `Every return of the round approved by its ICB, then accepted by its region (${count(written)} values written to the observation store, roll-ups of ${pairChecks} metrics refreshed after each acceptance)`,
      value: `${seconds(approveTotalMs + acceptTotalMs)}: approve ${seconds(approveTotalMs)} (${spread(approveMs)}); accept ${seconds(acceptTotalMs)} (${spread(acceptMs)})`,
      baseline: `the submission round: ${seconds(csv.totalMs)}`,
      ratio: `${((approveTotalMs + acceptTotalMs) / csv.totalMs).toFixed(1)}× the submission round`,
    },
    {
      name: `Where a submission's time goes: ${profiled.length} CSV submissions (every fifth trust) for ${roundMonth(2).slice(0, 7)} with every statement timed, per submission`,
      value: profiledSubmissions,
      baseline: `validation alone (${pairChecks + sumChecks} checks, ${itemCount} SPC tests): p50 ${p50(validateMs)} ms; the history query alone (${itemCount} items × ${historyMonths} months): p50 ${p50(historyQueryMs)} ms`,
    },
    {
      name: `Where an acceptance's time goes: the same ${profiled.length} returns accepted with every statement timed (after the transaction, the roll-up refresh), per acceptance`,
      value: profiledAccepts,
    },
    {
      name: 'Setup behind the figures above (not timed in them)',
      value: `${trusts.length} trusts in ${referenceSystems.length} ICBs; ${count(historyRows)} history values (${historyMonths} months × ${itemCount} items × ${trusts.length} trusts) loaded by COPY in ${seconds(historyMs)}; roll-up cache built in ${seconds(cacheMs)}; machine load average ${loadAtStart.toFixed(1)} when the round started and ${(loadavg()[0] ?? 0).toFixed(1)} at the end (${cpus().length} cores)`,
    },
  ];
}

export const returnsSuite: BenchSuite = {
  name: 'Returns: a national return round',
  description:
    `Issue 7: every trust in England (210 generated trusts, 150 acute, 30 mental health, 18 community, 12 ambulance, in the 42 ICBs) submits one ${itemCount}-item monthly return of the template \`${templateCode}\` ` +
    `(${pairChecks + sumChecks} cross-item checks; outliers: SPC, at least 12 months of history) against ${historyMonths} months of its own history in the observation store (about 1.5 million values). ` +
    'Each return goes through the same code as `POST /api/submissions/upload`: the file read with `readReturn`, then `saveSubmission` (validation, a stored version, audit), one trust after another; ' +
    'about one trust in 20 has a spike in one item and explains it in the file. Then every return is approved by its ICB and accepted by its region (`advanceSubmission`). ' +
    'The baseline is a plain SQL insert of the same values, one jsonb row and one transaction per trust. On PGlite the store uses a data directory on disk.',
  async run(engine, fresh) {
    await engine.close();
    const dir = engine.name === 'PGlite' ? mkdtempSync(join(tmpdir(), 'oversight-bench-pglite-')) : null;
    const opened = dir ? await openPgliteBench(join(dir, 'data')) : await fresh();
    try {
      return await run(opened);
    } catch (error) {
      console.error(error);
      return [
        {
          name: 'National return round',
          skipped: `did not complete: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    } finally {
      await opened.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};
