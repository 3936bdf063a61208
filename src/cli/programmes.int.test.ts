import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { ProgrammeDetail, ProgrammeSummary } from '../services/programme.service.js';

/** National programmes from the command line: seeds after `db migrate`, a lifecycle, contributions and refusals. */
// Every step is a fresh process (several seconds each on a busy machine): allow more than the default.
describe('oversight programmes', { timeout: 400_000 }, () => {
  let cli: CliEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-programmes-'));

  beforeAll(async () => {
    cli = await cliEnvironment();
    for (const args of [
      ['db', 'migrate'],
      ['users', 'create', '--email', 'director@nhs.test', '--name', 'Director'],
      ['users', 'grant', 'director@nhs.test', '--role', 'national-director'],
      ['users', 'create', '--email', 'london@nhs.test', '--name', 'London Team'],
      ['users', 'grant', 'london@nhs.test', '--role', 'regional-team', '--scope', 'Y56'],
      ['users', 'create', '--email', 'nel@nhs.test', '--name', 'North East London'],
      ['users', 'grant', 'nel@nhs.test', '--role', 'icb-lead', '--scope', 'QMF'],
    ]) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 400_000);
  afterAll(async () => cli?.close());

  it('lists the seeded programmes after db migrate, and shows one to anyone', async () => {
    const list = await cli.json<{ programmes: ProgrammeSummary[] }>('programmes', 'list', '--json');
    expect(list.code).toBe(0);
    expect(list.body.programmes.map((p) => [p.code, p.stage])).toEqual([
      ['cancer', 'in-delivery'],
      ['digital', 'in-delivery'],
      ['mental-health', 'in-delivery'],
      ['urgent-emergency-care', 'in-delivery'],
    ]);
    const shown = await cli.run('programmes', 'show', 'urgent-emergency-care');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(
      'A&E 4-hour performance, all types (ae_4h_all); trajectory: 78.0% by 2025-03, 82.0% by 2026-03',
    );
    expect((await cli.run('programmes', 'show', 'no-such-programme')).code).toBe(4);
  });

  it(
    'runs a programme through its lifecycle as a national director, refusing others',
    { timeout: 400_000 },
    async () => {
      const file = join(dir, 'stroke.json');
      writeFileSync(
        file,
        JSON.stringify({
          code: 'stroke',
          name: 'Stroke',
          sponsor: 'NHS Executive Group',
          nationalDirector: 'National Director for Stroke',
          scope: 'Faster thrombectomy.',
        }),
      );
      const refused = await cli.run('programmes', 'create', file, '--as', 'london@nhs.test');
      expect(refused.code).toBe(8);
      expect(refused.stderr).toContain('only national directors');
      const created = await cli.json<{ programme: ProgrammeDetail }>(
        'programmes',
        'create',
        file,
        '--as',
        'director@nhs.test',
        '--json',
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.body.programme.stage).toBe('proposed');

      const jump = await cli.run(
        'programmes',
        'advance',
        'stroke',
        '--to',
        'in-delivery',
        '--reason',
        'Now',
        '--as',
        'director@nhs.test',
      );
      expect(jump.code).toBe(5);
      expect(jump.stderr).toContain('can move only to established or closed');
      for (const [to, reason] of [
        ['established', 'Agreed by the Executive Group'] as const,
        ['in-delivery', 'Funded'],
        ['under-review', 'Half-year review'],
      ])
        expect(
          (
            await cli.run(
              'programmes',
              'advance',
              'stroke',
              '--to',
              to,
              '--reason',
              reason,
              '--as',
              'director@nhs.test',
            )
          ).code,
        ).toBe(0);

      const milestone = await cli.json<{ programme: ProgrammeDetail }>(
        'programmes',
        'milestone',
        'stroke',
        '--title',
        'Network review',
        '--due',
        '2020-01-31',
        '--as',
        'director@nhs.test',
        '--json',
      );
      expect(milestone.body.programme.milestones).toEqual([
        expect.objectContaining({ title: 'Network review', overdue: true }),
      ]);
      const review = await cli.json<{ programme: ProgrammeDetail }>(
        'programmes',
        'review',
        'stroke',
        '--schedule',
        '2020-02-01',
        '--as',
        'director@nhs.test',
        '--json',
      );
      const reviewId = String(review.body.programme.reviews[0]?.id);
      const missing = await cli.run(
        'programmes',
        'review',
        'stroke',
        '--record',
        reviewId,
        '--decision',
        'change',
        '--as',
        'director@nhs.test',
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('Enter the outcome of the review');
      const recorded = await cli.json<{ programme: ProgrammeDetail }>(
        'programmes',
        'review',
        'stroke',
        '--record',
        reviewId,
        '--held-on',
        '2020-02-01',
        '--outcome',
        'Widen to all networks',
        '--decision',
        'change',
        '--as',
        'director@nhs.test',
        '--json',
      );
      expect(recorded.code, JSON.stringify(recorded.body)).toBe(0);
      expect(recorded.body.programme.stage).toBe('in-delivery');
      expect(recorded.body.programme.reviews[0]).toMatchObject({ state: 'held', decision: 'change' });
      expect(recorded.body.programme.milestones).toEqual([
        expect.objectContaining({ title: 'Network review', overdue: true }),
      ]);
    },
  );

  it("records a region's contribution, and refuses an ICB lead another ICB's", async () => {
    const own = await cli.json<{ contribution: { status: string; organisation: { odsCode: string } } }>(
      'programmes',
      'contribute',
      'cancer',
      'QKK',
      '--commitment',
      'Rapid diagnostic centre',
      '--status',
      'on-track',
      '--as',
      'london@nhs.test',
      '--json',
    );
    expect(own.code, JSON.stringify(own.body)).toBe(0);
    expect(own.body.contribution).toMatchObject({ status: 'on-track', organisation: { odsCode: 'QKK' } });
    const other = await cli.run(
      'programmes',
      'contribute',
      'cancer',
      'QKK',
      '--commitment',
      'x',
      '--status',
      'delivered',
      '--as',
      'nel@nhs.test',
    );
    expect(other.code).toBe(8);
    expect(other.stderr).toContain(
      'You cannot record a contribution for NHS South East London Integrated Care Board (QKK)',
    );
    const shown = await cli.json<{ programme: ProgrammeDetail }>('programmes', 'show', 'cancer', '--json');
    expect(shown.code, `${JSON.stringify(shown.body)} ${shown.stderr}`).toBe(0);
    expect(shown.body.programme.contributions.map((c) => [c.organisation.odsCode, c.status])).toEqual([
      ['QKK', 'on-track'],
    ]);
  });
});
