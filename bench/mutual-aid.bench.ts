import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { findAidRequest, listAidMatches } from '../src/db/mutual-aid.repository.js';
import type { Principal } from '../src/domain/access.js';
import { systemActor } from '../src/domain/audit.js';
import { referenceSystems } from '../src/domain/nhs-england-structure.js';
import { openOrganisation } from '../src/services/hierarchy.service.js';
import { demoPostcode } from '../src/services/mutual-aid-demo-postcodes.js';
import { loadAidMatching, makeAidOffer, raiseAidRequest } from '../src/services/mutual-aid.service.js';
import { latency, type BenchEngine } from './bench-engines.js';
import type { BenchResult, BenchSuite } from './report.js';

/**
 * Matching one mutual aid request against every trust in England: the candidate query (every open trust
 * with its ICB, region, postcode, latest occupancy and standing judgement), the offer query and the pure
 * ranking, as the API and CLI run them. England is ../shared/data/trusts.csv when present (its open English
 * trusts, under the ICBs the reference structure knows), otherwise 210 generated trusts with postcodes.
 */

const today = '2026-02-10';
const sharedTrusts = join(process.env.OVERSIGHT_SHARED_DATA ?? join('..', 'shared', 'data'), 'trusts.csv');

async function loadEngland(engine: BenchEngine): Promise<{ trusts: string[]; source: string }> {
  const known = new Set(referenceSystems.map((s) => s.code));
  const rows: Array<{ code: string; name: string; icb: string; postcode: string | null }> = [];
  let source: string;
  if (existsSync(sharedTrusts)) {
    const records = parse(readFileSync(sharedTrusts), { columns: true }) as Array<Record<string, string>>;
    const english = records.filter((r) => !r.close_date && r.region_code !== 'W00');
    for (const r of english)
      if (known.has(r.icb_code ?? ''))
        rows.push({
          code: r.org_code ?? '',
          name: r.name ?? '',
          icb: r.icb_code ?? '',
          postcode: r.postcode || null,
        });
    source = `trusts.csv: ${rows.length} open English trusts (of ${english.length}; others name an ICB code the reference structure does not hold)`;
  } else {
    for (let i = 0; i < 210; i += 1) {
      const icb = referenceSystems[i % referenceSystems.length]?.code ?? 'QKK';
      const code = `ZB${String(i).padStart(3, '0')}`;
      rows.push({ code, name: `Bench ${code} NHS Trust`, icb, postcode: demoPostcode(code, icb) });
    }
    source = 'a generated England of 210 trusts with postcodes (trusts.csv not found)';
  }
  for (const row of rows)
    await openOrganisation(
      engine.db,
      { source: 'bench', provenance: 'manual', actor: systemActor, auditEachEvent: false },
      {
        odsCode: row.code,
        name: row.name,
        kind: 'nhs-trust',
        sector: 'acute',
        postcode: row.postcode,
        parentCode: row.icb,
        date: '2020-04-01',
        reason: 'Benchmark',
      },
    );
  // Occupancy for every trust (70–99 %), as the roll-up cache holds it, and last year's month besides.
  await engine.raw(
    `insert into metric_rollup (aggregate_id, metric_id, period_start, numerator, denominator, reported, partial)
     select o.id, m.id, p.period::date, 700 + (o.id * 37 % 290), 1000, 1, 0
     from organisation o join organisation_version v on v.organisation_id = o.id and v.kind = 'nhs-trust'
     cross join metric m cross join (values ('2026-01-01'), ('2025-01-01')) p (period)
     where m.code = 'ga_occupancy'`,
  );
  await engine.raw('analyze');
  return { trusts: rows.map((r) => r.code), source };
}

async function run(engine: BenchEngine): Promise<BenchResult[]> {
  const { trusts, source } = await loadEngland(engine);
  const national: Principal = {
    kind: 'user',
    userId: 0,
    label: 'bench',
    isAdmin: false,
    grants: [{ role: 'national-director', scopeOrganisationId: null }],
    functions: [],
  };
  const caller = { principal: national, actor: systemActor };
  // A few offers across England, so the offer query and the split have work to do.
  for (const [i, code] of trusts.filter((_, i) => i % 20 === 5).entries())
    await makeAidOffer(
      engine.db,
      caller,
      {
        provider: code,
        kind: 'beds',
        detail: 'adult-critical-care',
        unit: 'beds',
        quantity: 2 + (i % 4),
        availableFrom: today,
        availableTo: '2026-04-30',
      },
      today,
    );
  const raised = await raiseAidRequest(
    engine.db,
    caller,
    {
      requester: trusts[0] ?? '',
      kind: 'beds',
      detail: 'adult-critical-care',
      unit: 'beds',
      quantity: 12,
      neededFrom: today,
      neededTo: '2026-03-10',
      urgency: 'critical',
      reason: 'Benchmark',
    },
    today,
  );
  const request = await findAidRequest(engine.db, raised.id, today);
  if (!request) throw new Error('the benchmark request was not stored');
  let ranked = 0;
  const matching = await latency(
    async () => {
      const matches = await listAidMatches(engine.db, [request.id], today);
      const result = await loadAidMatching(engine.db, request, matches, today, 20);
      ranked = result.offers.length + result.organisations.length + result.excluded.length;
    },
    200,
    10,
  );
  const baseline = await latency(
    () =>
      engine.raw(
        `select o.id, o.ods_code, v.name, v.sector, v.postcode, p.parent_id
         from organisation_version v join organisation o on o.id = v.organisation_id
         left join organisation_parent p on p.organisation_id = o.id and p.valid_to is null
         where v.kind = 'nhs-trust' and v.valid_to is null`,
      ),
    200,
    10,
  );
  return [
    { name: 'England', value: source },
    {
      name: 'Match one request against every trust (candidate query + offers + ranking), p50 / p95',
      value: `${matching.p50.toFixed(1)} ms / ${matching.p95.toFixed(1)} ms (target < 50 ms; ${ranked} candidates returned)`,
      baseline: `plain select of the trust rows: ${baseline.p50.toFixed(1)} ms / ${baseline.p95.toFixed(1)} ms`,
      ratio: `${(matching.p50 / baseline.p50).toFixed(1)}×`,
    },
  ];
}

export const mutualAidSuite: BenchSuite = {
  name: 'Mutual aid matching',
  description:
    'One mutual aid request matched against every NHS trust in England (trusts.csv when present), each with a general and acute occupancy figure in the roll-up cache and a few offers: the candidate query, the offer query and the pure ranking as `GET /api/mutual-aid/requests/:id/candidates` runs them, 200 runs after 10 warm-up runs.',
  async run(engine) {
    return run(engine);
  },
};
