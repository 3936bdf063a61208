import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemActor } from '../src/domain/audit.js';
import { referenceSystems } from '../src/domain/nhs-england-structure.js';
import type { TrustSector } from '../src/domain/organisation.js';
import { openFileSource } from '../src/import/sources.js';
import { openStatisticsFile } from '../src/import/statistics-files.js';
import { generateDemoObservations } from '../src/services/demo-metrics.js';
import { openOrganisation } from '../src/services/hierarchy.service.js';
import { getSegmentation } from '../src/services/segmentation.service.js';
import { getMetricSpc } from '../src/services/spc.service.js';
import { importStatistics, type StatisticsImportSummary } from '../src/services/statistics-import.service.js';
import { latency, openPgliteBench, timeIt, type BenchEngine } from './bench-engines.js';
import { buildPracticeScaleHierarchy } from './hierarchy.bench.js';
import { addBenchCatalogue, writeObservationFile } from './observations.bench.js';
import type { BenchResult, BenchSuite } from './report.js';

/**
 * Oversight at scale: a store of about 10 million observations (generated practice figures, as in the
 * observation suite, plus 210 trusts in the 42 ICBs with the demo's A&E, finance and workforce figures).
 * Whole-England segmentation is timed against a plain SQL read of the same quarter's figures; freshness is
 * the time from an accepted corrected return to the updated roll-up, SPC result and segment, against a
 * batch rebuild of the roll-up cache.
 */

const today = '2026-01-15';
const lastMonth = '2025-12-01';
const sectors: Array<[TrustSector, number]> = [
  ['acute', 150],
  ['mental-health', 30],
  ['community', 18],
  ['ambulance', 12],
];

async function importFile(engine: BenchEngine, path: string, name: string): Promise<StatisticsImportSummary> {
  const fetched = openFileSource(path);
  const file = await openStatisticsFile(fetched.csv, 'observations');
  return importStatistics(engine, file, {
    fileName: name,
    url: null,
    digest: fetched.digest,
    actor: systemActor,
  });
}

async function run(engine: BenchEngine, size: number): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-bench-segmentation-'));
  try {
    const { practices } = await buildPracticeScaleHierarchy(engine);
    await addBenchCatalogue(engine);
    // The practices' figures fill the store to the size; the trusts' figures (about 400,000) come after.
    const months = 129;
    const practiceCount = Math.min(practices.length, Math.round((size - 400_000) / (12 * months)));
    const bulkPath = join(dir, 'practices.csv');
    const bulkRows = await writeObservationFile(
      bulkPath,
      practices.slice(0, practiceCount),
      months,
      '2015-04-01',
    );
    const bulk = await importFile(engine, bulkPath, 'practices.csv');
    const rebuildMs = bulk.rollups?.durationMs ?? 0;

    const trusts: Array<{ odsCode: string; sector: TrustSector; validFrom: string; validTo: null }> = [];
    await engine.db.transaction().execute(async (trx) => {
      let n = 0;
      for (const [sector, count] of sectors) {
        for (let i = 0; i < count; i += 1) {
          const odsCode = `RB${String((n += 1)).padStart(3, '0')}`;
          const system = referenceSystems[n % referenceSystems.length];
          await openOrganisation(
            trx,
            { source: 'benchmark', provenance: 'manual', actor: systemActor },
            {
              odsCode,
              name: `Bench ${sector} trust ${n}`,
              kind: 'nhs-trust',
              sector,
              postcode: null,
              parentCode: system?.code ?? '',
              date: '2016-04-01',
              reason: 'Benchmark',
            },
          );
          trusts.push({ odsCode, sector, validFrom: '2016-04-01', validTo: null });
        }
      }
    });
    const trustRows = generateDemoObservations(trusts, lastMonth, 2019);
    const trustPath = join(dir, 'trusts.csv');
    writeFileSync(
      trustPath,
      `period,org_code,data_item,value\n${trustRows.map((o) => `${o.periodStart},${o.odsCode},${o.item},${o.value}`).join('\n')}\n`,
    );
    await importFile(engine, trustPath, 'trusts.csv');
    const total = Number(
      (await engine.raw('select count(*) as n from observation where is_current'))[0]?.n ?? 0,
    );

    // Whole England: every trust scored, segmented, ranked, explained against the previous quarter, with
    // the SPC icons of each trust's drivers.
    const segment = () => getSegmentation(engine.db, { methodologyCode: 'nof-2025-26', today });
    const first = await segment();
    if (first.rows.length !== trusts.length || first.summary.notSegmented > (sectors[3]?.[1] ?? 0))
      throw new Error(
        `segmented ${first.rows.length - first.summary.notSegmented} of ${trusts.length} trusts`,
      );
    const whole = await latency(segment, 10, 2);
    const icbs = await latency(
      () => getSegmentation(engine.db, { methodologyCode: 'nof-2026-27', level: 'icb', today }),
      10,
      2,
    );
    // Baseline: the database reading the same quarter's figures for every trust, grouped, and nothing else.
    const baselineQuery = () =>
      engine.raw(
        `select r.aggregate_id, r.metric_id, sum(r.numerator) as n, sum(r.denominator) as d
         from metric_rollup r join organisation_version v on v.organisation_id = r.aggregate_id and v.kind = 'nhs-trust'
         where r.period_start between $1::date and $2::date and r.reported > 0
         group by r.aggregate_id, r.metric_id`,
        [first.previousPeriod.start, lastMonth],
      );
    const baseline = await latency(baselineQuery, 10, 2);

    // Freshness: a trust corrects December's A&E figures (far more breaches); the import is accepted,
    // and the next reads must show the new roll-up, SPC point and segment.
    const target = first.rows.find(
      (r) => r.peerGroup === 'Acute trusts' && r.segment !== null && r.segment <= 2,
    );
    if (!target) throw new Error('no acute trust in segment 1 or 2 to correct');
    const attendances = trustRows.find(
      (o) => o.odsCode === target.odsCode && o.periodStart === lastMonth && o.item === 'ae_attendances_all',
    )?.value;
    if (!attendances) throw new Error('no A&E figures to correct');
    const correctionPath = join(dir, 'correction.csv');
    writeFileSync(
      correctionPath,
      `period,org_code,data_item,value\n${lastMonth},${target.odsCode},ae_breaches_4h_all,${Math.round(attendances * 0.6)}\n`,
    );
    let after: Awaited<ReturnType<typeof getSegmentation>> | null = null;
    let spcValue: number | null = null;
    let importMs = 0;
    let spcMs = 0;
    const freshnessMs = await timeIt(async () => {
      importMs = await timeIt(() => importFile(engine, correctionPath, 'correction.csv'));
      spcMs = await timeIt(async () => {
        const spc = await getMetricSpc(engine.db, {
          metricCode: 'ae_4h_all',
          aggregate: { kind: 'organisation', odsCode: target.odsCode },
          periodType: 'month',
          structure: { kind: 'as-at-period' },
          today,
          settings: {},
        });
        spcValue = spc.rollup.series[0]?.points.at(-1)?.value ?? null;
      });
      after = await segment();
    });
    const updated = (after as Awaited<ReturnType<typeof getSegmentation>> | null)?.rows.find(
      (r) => r.odsCode === target.odsCode,
    );
    const before = target.metrics.find((m) => m.code === 'ae_4h_all')?.value ?? null;
    const now = updated?.metrics.find((m) => m.code === 'ae_4h_all')?.value ?? null;
    if (
      spcValue === null ||
      Math.abs(spcValue - 40) > 0.5 ||
      now === null ||
      before === null ||
      now >= before
    )
      throw new Error(`the correction did not show: SPC ${spcValue}, quarter ${before} → ${now}`);
    const segmentMs = freshnessMs - importMs - spcMs;

    return [
      {
        name: `Whole-England segmentation (NOF 2025/26): ${trusts.length} trusts in 4 types, ${first.methodology.metrics.length} metrics, previous quarter, drivers with SPC icons, at ${total.toLocaleString('en-GB')} observations`,
        value: `p50 ${whole.p50.toFixed(0)} ms, p95 ${whole.p95.toFixed(0)} ms`,
        baseline: `plain SQL GROUP BY of the same two quarters' figures for every trust from the roll-up cache: p50 ${baseline.p50.toFixed(1)} ms`,
        ratio: `${(whole.p50 / baseline.p50).toFixed(1)}× the plain read; target < 1 s ${whole.p95 < 1000 ? 'met' : 'not met'}`,
      },
      {
        name: 'All 42 ICBs segmented among ICBs (2026/27 style, fixed cut-points)',
        value: `p50 ${icbs.p50.toFixed(0)} ms, p95 ${icbs.p95.toFixed(0)} ms`,
        baseline: `trust segmentation: p50 ${whole.p50.toFixed(0)} ms`,
      },
      {
        name: `Freshness at ${total.toLocaleString('en-GB')} observations: a trust's corrected December A&E return accepted, then its roll-ups, its SPC result and the whole-England segmentation read again`,
        value: `${freshnessMs.toFixed(0)} ms (import with roll-up refresh ${importMs.toFixed(0)} ms, SPC ${spcMs.toFixed(0)} ms, segmentation ${segmentMs.toFixed(0)} ms); A&E quarter ${before.toFixed(1)}% → ${now.toFixed(1)}%, segment ${target.segment} → ${updated?.segment}`,
        baseline: `a batch rebuild of the roll-up cache after the bulk load: ${(rebuildMs / 1000).toFixed(1)} s`,
        ratio: `${((freshnessMs / rebuildMs) * 100).toFixed(2)} % of a rebuild; target < 1 s ${freshnessMs < 1000 ? 'met' : 'not met'}`,
      },
      {
        name: 'Bulk load behind the figures above (not a target)',
        value: `${bulkRows.toLocaleString('en-GB')} practice values + ${trustRows.length.toLocaleString('en-GB')} trust values`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const segmentationSuite: BenchSuite = {
  name: 'Oversight segmentation and freshness',
  description:
    'About 10 million observations: the observation suite’s generated practice figures plus 210 generated trusts (150 acute, 30 mental health, 18 community, 12 ambulance) in the 42 ICBs with the demo’s monthly A&E, finance and workforce figures to December 2025. ' +
    'Segmentation is `getSegmentation` as the API and CLI call it; freshness imports a one-row correction through `oversight import observations`’ code. On PGlite the store uses a data directory on disk.',
  async run(engine, fresh) {
    const size = Number(process.env.BENCH_SEGMENTATION_SIZE ?? 10_000_000);
    await engine.close();
    const dir = engine.name === 'PGlite' ? mkdtempSync(join(tmpdir(), 'oversight-bench-pglite-')) : null;
    const opened = dir ? await openPgliteBench(join(dir, 'data')) : await fresh();
    try {
      return await run(opened, size);
    } catch (error) {
      return [
        {
          name: 'Segmentation and freshness',
          skipped: `did not complete: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    } finally {
      await opened.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};
