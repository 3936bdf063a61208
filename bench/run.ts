import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { openPgliteBench, openPostgresBench, type BenchEngine } from './bench-engines.js';
import { hierarchySuite } from './hierarchy.bench.js';
import { mutualAidSuite } from './mutual-aid.bench.js';
import { observationsSuite } from './observations.bench.js';
import { returnsSuite } from './returns.bench.js';
import { segmentationSuite } from './segmentation.bench.js';
import { spcSuite } from './spc.bench.js';
import { renderReport, type BenchSuite, type SuiteOutcome } from './report.js';

/**
 * `npm run bench`: every suite on PGlite, and on PostgreSQL when BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL) names a server; results go to docs/benchmarks.md (and .json). `--only <suite>` and
 * `--engine pglite|postgresql` narrow a run, replacing only their sections of the last report.
 */
const suites: BenchSuite[] = [
  hierarchySuite,
  observationsSuite,
  spcSuite,
  segmentationSuite,
  returnsSuite,
  mutualAidSuite,
];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const engines: Array<{ name: string; open: () => Promise<BenchEngine> }> = [
  { name: 'PGlite', open: openPgliteBench },
];
if (serverUrl) engines.push({ name: 'PostgreSQL', open: () => openPostgresBench(serverUrl) });

const engineFilter = process.argv.includes('--engine')
  ? process.argv[process.argv.indexOf('--engine') + 1]?.toLowerCase()
  : undefined;
const outcomes: SuiteOutcome[] = [];
let serverVersion: string | null = null;
for (const suite of suites.filter((s) => !only || s.name.toLowerCase().includes(only.toLowerCase()))) {
  const suiteEngines = suite.engineIndependent
    ? engines.slice(0, 1).map((e) => ({ ...e, name: 'In process (no database)' }))
    : engines.filter((e) => !engineFilter || e.name.toLowerCase() === engineFilter);
  for (const { name, open } of suiteEngines) {
    console.error(`Running "${suite.name}" on ${name}…`);
    const engine = await open();
    const start = Date.now();
    try {
      if (engine.name === 'PostgreSQL' && !serverVersion) {
        serverVersion = String((await engine.raw('show server_version'))[0]?.server_version ?? '');
      }
      const results = await suite.run(engine, open);
      outcomes.push({
        suite: suite.name,
        description: suite.description,
        engine: name,
        results,
        seconds: (Date.now() - start) / 1000,
        ranAt: new Date().toISOString(),
      });
      for (const result of results)
        console.error(
          `  ${result.name}: ${result.skipped ?? result.value ?? ''}${result.ratio ? ` (${result.ratio})` : ''}`,
        );
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
}

// A partial run (--only, --engine) replaces its own sections and keeps the rest of the last full report.
const stored = 'docs/benchmarks.json';
const previous: { serverVersion: string | null; outcomes: SuiteOutcome[] } =
  (only || engineFilter) && existsSync(stored)
    ? (JSON.parse(readFileSync(stored, 'utf8')) as { serverVersion: string | null; outcomes: SuiteOutcome[] })
    : { serverVersion: null, outcomes: [] };
const merged = [
  ...previous.outcomes.map(
    (old) => outcomes.find((o) => o.suite === old.suite && o.engine === old.engine) ?? old,
  ),
  ...outcomes.filter(
    (o) => !previous.outcomes.some((old) => old.suite === o.suite && old.engine === o.engine),
  ),
];
const version = serverVersion ?? previous.serverVersion;
writeFileSync(stored, `${JSON.stringify({ serverVersion: version, outcomes: merged }, null, 2)}\n`);
writeFileSync('docs/benchmarks.md', renderReport(merged, version));
console.error('Wrote docs/benchmarks.md and docs/benchmarks.json');
