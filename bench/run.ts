import { writeFileSync } from 'node:fs';
import { openPgliteBench, openPostgresBench, type BenchEngine } from './bench-engines.js';
import { hierarchySuite } from './hierarchy.bench.js';
import { observationsSuite } from './observations.bench.js';
import { renderReport, type BenchSuite, type SuiteOutcome } from './report.js';

/**
 * `npm run bench`: every suite on PGlite, and on PostgreSQL when BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL) names a server; results go to docs/benchmarks.md. `--only <suite>` narrows it.
 */
const suites: BenchSuite[] = [hierarchySuite, observationsSuite];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const engines: Array<{ name: string; open: () => Promise<BenchEngine> }> = [
  { name: 'PGlite', open: openPgliteBench },
];
if (serverUrl) engines.push({ name: 'PostgreSQL', open: () => openPostgresBench(serverUrl) });

const outcomes: SuiteOutcome[] = [];
let serverVersion: string | null = null;
for (const suite of suites.filter((s) => !only || s.name.toLowerCase().includes(only.toLowerCase()))) {
  for (const { name, open } of engines) {
    console.error(`Running "${suite.name}" on ${name}…`);
    const engine = await open();
    const start = Date.now();
    try {
      if (engine.name === 'PostgreSQL' && !serverVersion) {
        serverVersion = String((await engine.raw('show server_version'))[0]?.server_version ?? '');
      }
      const results = await suite.run(engine, open);
      outcomes.push({ suite, engine: name, results, seconds: (Date.now() - start) / 1000 });
      for (const result of results)
        console.error(
          `  ${result.name}: ${result.skipped ?? result.value ?? ''}${result.ratio ? ` (${result.ratio})` : ''}`,
        );
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
}
writeFileSync('docs/benchmarks.md', renderReport(outcomes, serverVersion));
console.error('Wrote docs/benchmarks.md');
