import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../../test/cli-runner.js';

interface BenchmarkJson {
  value: number;
  organisation: { odsCode: string; level: string };
  national: { count: number; rank: number; band: number; median: number; distanceToBestQuartile: number };
  peerGroup: { kind: string; description: string; peers: Array<{ odsCode: string; rank: number | null }> };
}

/**
 * Three trusts under South West London (QWE), January 2024: TK001 90% (acute), TK002 80% (acute),
 * TK003 60% (community). Quartiles of 60, 80, 90: 70, 80, 85.
 */
describe('oversight benchmark', () => {
  let cli: CliEnvironment;

  beforeAll(async () => {
    cli = await cliEnvironment();
    expect((await cli.run('db', 'migrate')).code).toBe(0);
    const trusts = [
      ['TK001', 'acute', 1000, 100],
      ['TK002', 'acute', 2000, 400],
      ['TK003', 'community', 500, 200],
    ] as const;
    for (const [code, sector] of trusts) {
      const opened = await cli.run(
        'orgs',
        'open',
        code,
        '--name',
        `CLI ${code} NHS Trust`,
        '--kind',
        'nhs-trust',
        '--sector',
        sector,
        '--parent',
        'QWE',
        '--date',
        '2020-01-01',
        '--reason',
        'Test',
      );
      expect(opened.code).toBe(0);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'oversight-cli-benchmark-')), 'ae.csv');
    writeFileSync(
      file,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        trusts.map(([code, , total, over]) => `2024-01-01,${code},${total},${over},10,0\n`).join(''),
    );
    expect((await cli.run('import', 'ae', file)).code).toBe(0);
  });
  afterAll(async () => cli?.close());

  it('benchmarks a trust among all trusts and among its sector, as JSON and as a table', async () => {
    const all = await cli.json<BenchmarkJson>('benchmark', 'ae_4h_all', '--org', 'tk002');
    expect(all.code).toBe(0);
    expect(all.body.organisation).toMatchObject({ odsCode: 'TK002', level: 'nhs-trust' });
    expect(all.body.value).toBeCloseTo(80, 10);
    // Second of three: band ⌊4 × 1 ÷ 3⌋ + 1 = 2; the upper quartile is 85, 5 points above.
    expect(all.body.national).toMatchObject({ count: 3, rank: 2, band: 2 });
    expect(all.body.national.distanceToBestQuartile).toBeCloseTo(5, 10);

    const sector = await cli.json<BenchmarkJson>(
      'benchmark',
      'ae_4h_all',
      '--org',
      'TK002',
      '--period',
      '2024-01-01',
      '--peers',
      'sector',
    );
    expect(sector.body.peerGroup.description).toBe('Acute NHS trusts');
    expect(sector.body.peerGroup.peers.map((p) => [p.odsCode, p.rank])).toEqual([
      ['TK001', 1],
      ['TK002', 2],
    ]);

    const table = await cli.run('benchmark', 'ae_4h_all', '--org', 'TK002', '--peers', 'sector');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('CLI TK002 NHS Trust (TK002) 80.0%');
    expect(table.stdout).toMatch(
      /all trusts\s+80\.0%\s+70\.0% to 85\.0%\s+2 of 3\s+Q2\s+\+5\.0 percentage points/,
    );
    expect(table.stdout).toContain('CLI TK002 NHS Trust (this one)');
  });

  it('compares an ICB with ICBs, and finds nearest neighbours', async () => {
    const icb = await cli.json<BenchmarkJson>('benchmark', 'ae_4h_all', '--org', 'QWE');
    expect(icb.body.organisation.level).toBe('icb');
    expect(icb.body.national).toMatchObject({ count: 1, rank: 1 });
    const nearest = await cli.json<BenchmarkJson>(
      'benchmark',
      'ae_4h_all',
      '--org',
      'TK002',
      '--peers',
      'nearest',
      '--attributes',
      'ae_attendances',
      '--k',
      '1',
    );
    // 1,000 is nearer 2,000 than 500 is.
    expect(nearest.body.peerGroup.peers.map((p) => p.odsCode)).toEqual(['TK001', 'TK002']);
  });

  it('refuses incomplete or unknown choices with exit 2 or 4, naming what to give', async () => {
    const noSize = await cli.run('benchmark', 'ae_4h_all', '--org', 'TK002', '--peers', 'size');
    expect(noSize.code).toBe(2);
    expect(noSize.stderr).toContain('--size-metric');
    expect((await cli.run('benchmark', 'ae_4h_all', '--org', 'TK002', '--peers', 'friends')).code).toBe(2);
    expect((await cli.run('benchmark', 'ae_4h_all')).code).toBe(2);
    const sectorForIcb = await cli.json<{ error: { problems: Array<{ field: string }> } }>(
      'benchmark',
      'ae_4h_all',
      '--org',
      'QWE',
      '--peers',
      'sector',
    );
    expect(sectorForIcb.code).toBe(2);
    expect(sectorForIcb.body.error.problems[0]?.field).toBe('peers');
    expect((await cli.run('benchmark', 'ae_4h_all', '--org', 'ZZZ99')).code).toBe(4);
    expect(
      (await cli.run('benchmark', 'ae_4h_all', '--org', 'TK002', '--peers', 'group', '--group', 'nobody'))
        .code,
    ).toBe(4);
  });
});
