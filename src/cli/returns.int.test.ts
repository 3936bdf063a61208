import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { SubmissionVersionView, SubmissionView } from '../services/submission.service.js';

/** The return workflow from the command line, each change acting as a named account (--as). */
describe('oversight returns', () => {
  let cli: CliEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-returns-'));
  const csv = (name: string, attendances: string, breaches: string) => {
    const path = join(dir, name);
    writeFileSync(
      path,
      [
        'template,ods_code,period_start,item,value',
        `ae-t1,TST01,2025-06-01,ae_attendances_type1,${attendances}`,
        `ae-t1,TST01,2025-06-01,ae_breaches_4h_type1,${breaches}`,
      ].join('\n'),
    );
    return path;
  };
  const submitter = 'submitter@nhs.test';
  const icb = 'icb@nhs.test';
  const region = 'region@nhs.test';

  beforeAll(async () => {
    cli = await cliEnvironment();
    const setUp = [
      ['db', 'migrate'],
      [
        'orgs',
        'open',
        'TST01',
        '--name',
        'Test Trust',
        '--kind',
        'nhs-trust',
        '--parent',
        'QKK',
        '--date',
        '2020-04-01',
        '--reason',
        'Test',
      ],
      ['users', 'create', '--email', submitter, '--name', 'Submitter'],
      ['users', 'grant', submitter, '--role', 'trust-data-submitter', '--scope', 'TST01'],
      ['users', 'create', '--email', icb, '--name', 'ICB lead'],
      ['users', 'grant', icb, '--role', 'icb-lead', '--scope', 'QKK'],
      ['users', 'create', '--email', region, '--name', 'Regional team'],
      ['users', 'grant', region, '--role', 'regional-team', '--scope', 'Y56'],
    ];
    for (const args of setUp) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const template = join(dir, 'ae-t1.json');
    writeFileSync(
      template,
      JSON.stringify({
        code: 'ae-t1',
        name: 'Type 1 A&E',
        periodType: 'month',
        organisationKinds: ['nhs-trust'],
        items: ['ae_attendances_type1', 'ae_breaches_4h_type1'],
        schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
        rules: {
          checks: [
            {
              code: 'breaches-within-attendances',
              expression: 'ae_breaches_4h_type1 <= ae_attendances_type1',
              message: 'Breaches cannot exceed attendances',
              severity: 'error',
            },
          ],
        },
      }),
    );
    expect((await cli.run('templates', 'create', template)).code).toBe(0);
    expect((await cli.run('templates', 'activate', 'ae-t1', '--from', '2024-04-01')).code).toBe(0);
  });
  afterAll(async () => cli?.close());

  it('writes the blank template, refuses a bad file with located problems, and walks a return to lock', async () => {
    const blank = join(dir, 'blank.xlsx');
    const written = await cli.run(
      'returns',
      'blank',
      'ae-t1',
      '--org',
      'TST01',
      '--period',
      '2025-06-01',
      '--out',
      blank,
    );
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(blank).subarray(0, 2).toString()).toBe('PK');

    const bad = await cli.run(
      'returns',
      'submit',
      csv('bad.csv', '"1,000"', '12a'),
      '--template',
      'ae-t1',
      '--as',
      submitter,
    );
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/bad\.csv, row 2, column value/);
    expect(bad.stderr).toMatch(/bad\.csv, row 3, column value/);
    const failing = await cli.run(
      'returns',
      'submit',
      csv('over.csv', '100', '120'),
      '--template',
      'ae-t1',
      '--as',
      submitter,
    );
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain('Breaches cannot exceed attendances');

    const v1 = await cli.json<{ submission: SubmissionView }>(
      'returns',
      'submit',
      csv('v1.csv', '1000', '200'),
      '--template',
      'ae-t1',
      '--as',
      submitter,
      '--json',
    );
    expect(v1.code, v1.stderr).toBe(0);
    expect(v1.body.submission).toMatchObject({ status: 'submitted', version: 1 });
    const id = String(v1.body.submission.id);
    // Someone else's step is refused; a return for correction needs a reason.
    expect((await cli.run('returns', 'approve', id, '--as', region)).code).toBe(8);
    expect((await cli.run('returns', 'approve', id, '--as', icb)).code).toBe(0);
    expect((await cli.run('returns', 'return', id, '--as', region)).code).toBe(2);
    const returned = await cli.run('returns', 'return', id, '--as', region, '--reason', 'Breaches look low');
    expect(returned.stdout).toContain('Returned for correction (Breaches look low)');

    expect(
      (
        await cli.run(
          'returns',
          'submit',
          csv('v2.csv', '1000', '260'),
          '--template',
          'ae-t1',
          '--as',
          submitter,
        )
      ).code,
    ).toBe(0);
    expect((await cli.run('returns', 'approve', id, '--as', icb)).code).toBe(0);
    const accepted = await cli.json<{ submission: SubmissionView }>(
      'returns',
      'accept',
      id,
      '--as',
      region,
      '--json',
    );
    expect(accepted.body.submission).toMatchObject({ status: 'accepted', acceptedVersion: 2 });
    expect((await cli.run('returns', 'lock', id, '--as', region)).code).toBe(0);

    const shown = await cli.json<{ versions: SubmissionVersionView[] }>(
      'returns',
      'show',
      id,
      '--as',
      icb,
      '--json',
    );
    expect(shown.body.versions.map((v) => [v.version, v.reporting, v.sourceFormat])).toEqual([
      [1, false, 'csv'],
      [2, true, 'csv'],
    ]);
    expect(shown.body.versions[1]?.changes).toEqual([
      { item: 'ae_breaches_4h_type1', before: 200, after: 260 },
    ]);

    const out = join(dir, 'export.json');
    const exported = await cli.run('returns', 'export', id, '--as', region, '--format', 'fhir', '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ resourceType: 'MeasureReport' });
  }, 240_000);
});
