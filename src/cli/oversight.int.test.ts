import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import { exampleMethodology, loadSegmentationExample } from '../../test/oversight.js';
import type { Segmentation, SegmentRow } from '../services/segmentation.service.js';
import type { SystemOversight } from '../services/system-oversight.service.js';

describe('oversight segment and oversight methodology', () => {
  let cli: CliEnvironment;
  let codes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-methodology-'));

  beforeAll(async () => {
    cli = await cliEnvironment();
    expect((await cli.run('db', 'migrate')).code).toBe(0);
    const handle = await cli.openDatabase();
    try {
      codes = await loadSegmentationExample(handle);
    } finally {
      await handle.close();
    }
  });
  afterAll(async () => cli?.close());

  it('prints a quarter’s segments as a table and as JSON', async () => {
    const table = await cli.run('segment', '--methodology', 'test-thresholds', '--period', '2025-04-01');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Test methodology (v1), Q1 2025/26');
    expect(table.stdout).toContain(codes[3]);
    const { code, body } = await cli.json<Segmentation>(
      'segment',
      '--methodology',
      'test-thresholds',
      '--period',
      '2025-04-01',
      '--json',
    );
    expect(code).toBe(0);
    expect(codes.slice(0, 5).map((c) => body.rows.find((r) => r.odsCode === c)?.segment)).toEqual([
      3, 1, 1, 3, 4,
    ]);
  });

  it('shows one trust in detail, and an ICB with its members', async () => {
    const trust = await cli.run(
      'segment',
      '--methodology',
      'test-thresholds',
      '--period',
      '2025-04-01',
      '--org',
      codes[3] ?? '',
    );
    expect(trust.code, trust.stderr).toBe(0);
    expect(trust.stdout).toContain('Drivers (pulling the score down most)');
    expect(trust.stdout).toContain('concern_low');
    const icb = await cli.json<SystemOversight>(
      'segment',
      '--methodology',
      'test-thresholds',
      '--period',
      '2025-04-01',
      '--org',
      'QKK',
      '--json',
    );
    expect(icb.body.trusts).toHaveLength(5);
    expect(icb.body.own?.segment).toBe(3);
  });

  it('records segment 5 by judgement and refuses it for a trust not in segment 4', async () => {
    const judge = (org: string, segment: string) =>
      cli.json<SegmentRow>(
        'judge',
        org,
        '--segment',
        segment,
        '--reason',
        'Agreed at the regional oversight meeting.',
        '--period',
        '2025-04-01',
        '--methodology',
        'test-thresholds',
      );
    const done = await judge(codes[4] ?? '', '5');
    expect(done.code, done.stderr).toBe(0);
    expect(done.body).toMatchObject({
      segment: 5,
      judgement: { recordedBy: expect.stringContaining('Command line') },
    });
    const refused = await cli.run(
      'judge',
      codes[1] ?? '',
      '--segment',
      '5',
      '--reason',
      'Agreed at the regional oversight meeting.',
      '--period',
      '2025-04-01',
      '--methodology',
      'test-thresholds',
    );
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('Segment 5 (intensive support) is for organisations in segment 4');
    const badSegment = await cli.run(
      'judge',
      codes[1] ?? '',
      '--segment',
      '7',
      '--reason',
      'x',
      '--period',
      '2025-04-01',
    );
    expect(badSegment.code).toBe(2);
    expect(badSegment.stderr).toContain('"7" is not a segment');
  });

  it('adds a methodology version from a file, and refuses a bad one with the field named', async () => {
    const good = join(dir, 'next.json');
    writeFileSync(
      good,
      JSON.stringify(exampleMethodology({ version: 2, segmentRule: { kind: 'quartiles' } })),
    );
    const added = await cli.run('methodology', 'add', good);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('test-thresholds version 2');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(exampleMethodology({ code: 'other', version: 1, minimumMetrics: 9 })));
    const refused = await cli.run('methodology', 'add', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('minimumMetrics');
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "code": ');
    const broken = await cli.run('methodology', 'add', notJson);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('could not be read as JSON');
    const list = await cli.run('methodology', 'list');
    expect(list.stdout).toMatch(/test-thresholds\s+2/);
    expect(list.stdout).not.toContain('other');
  });
});
