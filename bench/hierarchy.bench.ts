import { systemActor } from '../src/domain/audit.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listPathAt, listSubtreeAt, findOrganisationByCode } from '../src/db/organisation.repository.js';
import { csvSourceFromPath, readCsv } from '../src/import/csv-file.js';
import { parseOdsFile } from '../src/import/ods-files.js';
import {
  absorbOrganisations,
  openOrganisation,
  reparentOrganisation,
  type ChangeContext,
} from '../src/services/hierarchy.service.js';
import { getTreeAt } from '../src/services/hierarchy-query.service.js';
import { importOdsFiles } from '../src/services/ods-import.service.js';
import { ensureReferenceStructure } from '../src/services/reference-data.service.js';
import { referenceSystems } from '../src/domain/nhs-england-structure.js';
import { latency, timeIt, type BenchEngine } from './bench-engines.js';
import type { BenchResult, BenchSuite } from './report.js';

// Each change is audited, as it would be when made one at a time.
const context: ChangeContext = { source: 'benchmark', provenance: 'demo', actor: systemActor };

/** GP-practice scale: about 6,500 practices under 106 CCGs, which close into their ICBs on 1 July 2022. */
export async function buildPracticeScaleHierarchy(
  engine: BenchEngine,
): Promise<{ practices: string[]; organisations: number }> {
  await ensureReferenceStructure(engine.db);
  const practices: string[] = [];
  let organisations = 50;
  await engine.db.transaction().execute(async (trx) => {
    let ccgNumber = 0;
    let practiceNumber = 0;
    const ccgsBySystem = new Map<string, string[]>();
    for (const [index, system] of referenceSystems.entries()) {
      const ccgs: string[] = [];
      for (let c = 0; c < 2 + (index % 3 === 0 ? 1 : 0) + (index % 7 === 0 ? 1 : 0); c += 1) {
        const code = `B${String((ccgNumber += 1)).padStart(4, '0')}`;
        await openOrganisation(trx, context, {
          odsCode: code,
          name: `Bench CCG ${code}`,
          kind: 'ccg',
          parentCode: system.code,
          date: '2016-04-01',
          reason: 'Benchmark',
        });
        ccgs.push(code);
        organisations += 1;
        for (let p = 0; p < 61; p += 1) {
          const practice = `P${String((practiceNumber += 1)).padStart(5, '0')}`;
          await openOrganisation(trx, context, {
            odsCode: practice,
            name: `Bench Surgery ${practice}`,
            kind: 'gp-practice',
            parentCode: code,
            date: '2016-04-01',
            reason: 'Benchmark',
          });
          practices.push(practice);
          organisations += 1;
        }
      }
      ccgsBySystem.set(system.code, ccgs);
    }
    // Some practices change CCG in 2020, then every CCG closes into its ICB in 2022.
    for (const [index, practice] of practices.entries()) {
      if (index % 25 !== 0) continue;
      const system = referenceSystems[Math.floor(index / 155) % referenceSystems.length];
      const target = ccgsBySystem.get(system?.code ?? '')?.[0];
      if (target)
        await reparentOrganisation(trx, context, {
          odsCode: practice,
          parentCode: target,
          date: '2020-04-01',
          reason: 'Benchmark move',
        });
    }
    for (const [system, ccgs] of ccgsBySystem) {
      await absorbOrganisations(trx, context, {
        predecessorCodes: ccgs,
        acquirerCode: system,
        date: '2022-07-01',
        reason: 'CCGs abolished',
      });
    }
  });
  return { practices, organisations };
}

/** The same tree as plain, undated tables: what a static hierarchy costs to walk. */
async function buildPlainBaseline(
  engine: BenchEngine,
  rows: Array<{ id: number; parentId: number | null; odsCode: string; name: string }>,
) {
  await engine.raw(
    'create table plain_org (id integer primary key, parent_id integer, ods_code text, name text)',
  );
  const csv = rows
    .map((r) => `${r.id},${r.parentId ?? ''},${r.odsCode},"${r.name.replaceAll('"', '""')}"`)
    .join('\n');
  await engine.copyCsv('plain_org', ['id', 'parent_id', 'ods_code', 'name'], csv);
  await engine.raw('create index plain_org_parent_idx on plain_org (parent_id)');
  await engine.raw('analyze plain_org');
}

const plainTreeSql = `
  with recursive tree (id, depth) as (
    select $1::integer, 0
    union all
    select o.id, t.depth + 1 from plain_org o join tree t on o.parent_id = t.id
  )
  select t.id, t.depth, o.ods_code, o.name, o.parent_id from tree t join plain_org o on o.id = t.id`;

const plainPathSql = `
  with recursive up (id, depth) as (
    select $1::integer, 0
    union all
    select o.parent_id, u.depth + 1 from plain_org o join up u on o.id = u.id where o.parent_id is not null
  )
  select u.id, o.ods_code, o.name from up u join plain_org o on o.id = u.id order by u.depth desc`;

const sharedData = process.env.OVERSIGHT_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data');
const odsFiles = ['regions.csv', 'icbs.csv', 'trusts.csv', 'ods_successors.csv'];

async function benchOdsImport(
  engine: BenchEngine,
  fresh: () => Promise<BenchEngine>,
): Promise<BenchResult[]> {
  const paths = odsFiles.map((f) => join(sharedData, f));
  if (!paths.every((p) => existsSync(p))) {
    return [{ name: 'ODS import (published files)', skipped: `the ODS files are not in ${sharedData}` }];
  }
  const target = await fresh();
  try {
    await ensureReferenceStructure(target.db);
    const parsed = await Promise.all(paths.map((p) => parseOdsFile(csvSourceFromPath(p))));
    const rows = parsed.reduce((sum, file) => sum + file.rows.length, 0);
    const importMs = await timeIt(() =>
      importOdsFiles(target.db, parsed, { effectiveDate: '2021-11-30', actor: systemActor }),
    );
    const againMs = await timeIt(() =>
      importOdsFiles(target.db, parsed, { effectiveDate: '2021-11-30', actor: systemActor }),
    );

    // Baseline: the same rows copied raw into plain text tables, no checks, no events.
    let copyMs = 0;
    for (const path of paths) {
      const { header, rows: csvRows } = await readCsv(csvSourceFromPath(path));
      const table = `raw_${path.split('/').pop()?.replace('.csv', '')}`;
      await target.raw(`create table ${table} (${header.map((h) => `"${h}" text`).join(', ')})`);
      const text = csvRows
        .map((r) => r.values.map((v) => `"${v.replaceAll('"', '""')}"`).join(','))
        .join('\n');
      copyMs += await timeIt(() =>
        target.copyCsv(
          table,
          header.map((h) => `"${h}"`),
          text,
        ),
      );
    }
    return [
      {
        name: 'ODS import of the four published reference files (validated, events recorded), one transaction',
        value: `${(importMs / 1000).toFixed(2)} s for ${rows.toLocaleString('en-GB')} rows (${Math.round(rows / (importMs / 1000)).toLocaleString('en-GB')} rows/s)`,
        baseline: `raw COPY of the same rows: ${copyMs.toFixed(0)} ms`,
        ratio: `${((copyMs / importMs) * 100).toFixed(1)} % of raw COPY speed`,
      },
      {
        name: 'Re-import of the same files (idempotent: nothing stored)',
        value: `${(againMs / 1000).toFixed(2)} s`,
      },
    ];
  } finally {
    await target.close();
  }
}

export const hierarchySuite: BenchSuite = {
  name: 'Effective-dated hierarchy',
  description:
    'A GP-practice-scale hierarchy (7 regions, 42 ICBs, 106 CCGs, about 6,500 practices, with the 2019 and 2022 restructures, ' +
    'practice moves and CCG closures recorded as events) queried as at a date, against the same tree stored as a plain undated ' +
    'parent table walked by the same recursive SQL. Ratios above 1 are the cost of valid time.',
  async run(engine, fresh) {
    const results: BenchResult[] = [];
    let built: { practices: string[]; organisations: number } = { practices: [], organisations: 0 };
    const buildMs = await timeIt(async () => {
      built = await buildPracticeScaleHierarchy(engine);
    });
    results.push({
      name: 'Build the hierarchy through the event service (one transaction, each change audited)',
      value: `${(buildMs / 1000).toFixed(1)} s for ${built.organisations.toLocaleString('en-GB')} organisations (${Math.round(built.organisations / (buildMs / 1000))} organisations/s)`,
    });

    const root = await findOrganisationByCode(engine.db, 'X24');
    if (!root) throw new Error('reference structure missing');
    const asAt = '2021-01-01';
    const rows = await listSubtreeAt(engine.db, root.id, asAt, 10);
    await buildPlainBaseline(
      engine,
      rows.map((r) => ({
        id: r.id,
        parentId: r.id === root.id ? null : r.parentId,
        odsCode: r.odsCode,
        name: r.name,
      })),
    );
    const plainRows = await engine.raw(plainTreeSql, [root.id]);
    if (plainRows.length !== rows.length)
      throw new Error(`baseline tree has ${plainRows.length} rows, effective-dated ${rows.length}`);

    const dated = await latency(() => listSubtreeAt(engine.db, root.id, asAt, 10), 15);
    const plain = await latency(() => engine.raw(plainTreeSql, [root.id]), 15);
    const service = await latency(() => getTreeAt(engine.db, { asAt }), 10);
    results.push({
      name: `Whole-England tree as at ${asAt} (${rows.length.toLocaleString('en-GB')} organisations), SQL`,
      value: `p50 ${dated.p50.toFixed(1)} ms, p95 ${dated.p95.toFixed(1)} ms`,
      baseline: `plain tree: p50 ${plain.p50.toFixed(1)} ms, p95 ${plain.p95.toFixed(1)} ms`,
      ratio: `${(dated.p50 / plain.p50).toFixed(2)}× at p50`,
    });
    results.push({
      name: 'Whole-England tree, service (nested tree, counts and roles built)',
      value: `p50 ${service.p50.toFixed(1)} ms, p95 ${service.p95.toFixed(1)} ms`,
    });

    const sample = built.practices.filter((_, i) => i % 33 === 0).slice(0, 200);
    const ids: number[] = [];
    for (const code of sample) {
      const organisation = await findOrganisationByCode(engine.db, code);
      if (organisation) ids.push(organisation.id);
    }
    let i = 0;
    const path = await latency(() => listPathAt(engine.db, ids[(i += 1) % ids.length] ?? 0, asAt), 200);
    let j = 0;
    const plainPath = await latency(() => engine.raw(plainPathSql, [ids[(j += 1) % ids.length] ?? 0]), 200);
    results.push({
      name: `Path of a practice as at ${asAt} (England > region > ICB > CCG > practice)`,
      value: `p50 ${path.p50.toFixed(2)} ms, p95 ${path.p95.toFixed(2)} ms`,
      baseline: `plain path: p50 ${plainPath.p50.toFixed(2)} ms, p95 ${plainPath.p95.toFixed(2)} ms`,
      ratio: `${(path.p50 / plainPath.p50).toFixed(2)}× at p50`,
    });

    results.push(...(await benchOdsImport(engine, fresh)));
    return results;
  },
};
