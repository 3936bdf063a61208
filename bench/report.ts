import { cpus, totalmem, platform, release } from 'node:os';
import type { BenchEngine } from './bench-engines.js';

export interface BenchResult {
  name: string;
  value?: string;
  baseline?: string;
  ratio?: string;
  skipped?: string;
}

export interface BenchSuite {
  name: string;
  description: string;
  /** Measures code that uses no database: run once, not once per engine. */
  engineIndependent?: boolean;
  /** Runs on a fresh migrated database; `fresh` gives another one when a measurement needs it. */
  run(engine: BenchEngine, fresh: () => Promise<BenchEngine>): Promise<BenchResult[]>;
}

/** One suite on one engine; kept in docs/benchmarks.json so a partial run can replace just its part. */
export interface SuiteOutcome {
  suite: string;
  description: string;
  engine: string;
  results: BenchResult[];
  seconds: number;
  ranAt: string;
}

export function machineDescription(serverVersion: string | null): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    `- Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${platform()} ${release()}`,
    `- Node ${process.version}; PGlite (PostgreSQL 18, WASM) in memory${serverVersion ? `; PostgreSQL server ${serverVersion} on loopback` : '; no PostgreSQL server was configured (set BENCH_DATABASE_URL)'}`,
    '- Figures are from one run on a shared machine (each section says when): compare ratios, not absolute times.',
  ].join('\n');
}

export function renderReport(outcomes: SuiteOutcome[], serverVersion: string | null): string {
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (do not edit by hand). Each figure is measured against a baseline run in the same process',
    'on the same database engine, and reported as a ratio.',
    '',
    machineDescription(serverVersion),
    '',
  ];
  const suites = [...new Set(outcomes.map((o) => o.suite))];
  for (const suite of suites) {
    const described = outcomes.find((o) => o.suite === suite);
    lines.push(`## ${suite}`, '', described?.description ?? '', '');
    for (const outcome of outcomes.filter((o) => o.suite === suite)) {
      lines.push(
        `### ${outcome.engine} (${outcome.seconds.toFixed(0)} s, run ${outcome.ranAt.slice(0, 16).replace('T', ' ')} UTC)`,
        '',
        '| Measure | Result | Baseline | Ratio |',
        '| --- | --- | --- | --- |',
      );
      for (const result of outcome.results) {
        lines.push(
          `| ${result.name} | ${result.skipped ? `skipped: ${result.skipped}` : (result.value ?? '')} | ${result.baseline ?? ''} | ${result.ratio ?? ''} |`,
        );
      }
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}
