import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { PlanView, SystemPlanView } from '../services/planning.service.js';

/** The planning process from the command line: a round, an envelope, the workbook, a plan, the system. */
describe('oversight plan', () => {
  let cli: CliEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-plan-'));
  const json = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };
  const monthly = (n: number) => Array.from({ length: 12 }, () => n);

  beforeAll(async () => {
    cli = await cliEnvironment();
    for (const args of [
      ['db', 'migrate'],
      [
        'orgs',
        'open',
        'TPL01',
        '--name',
        'Plan Trust',
        '--kind',
        'nhs-trust',
        '--parent',
        'QKK',
        '--date',
        '2020-04-01',
        '--reason',
        'Test',
      ],
      ['users', 'create', '--email', 'submitter@nhs.test', '--name', 'Submitter'],
      ['users', 'grant', 'submitter@nhs.test', '--role', 'trust-data-submitter', '--scope', 'TPL01'],
      ['users', 'create', '--email', 'director@nhs.test', '--name', 'Director'],
      ['users', 'grant', 'director@nhs.test', '--role', 'national-director'],
    ]) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });
  afterAll(async () => cli?.close());

  it('adds a round and an envelope, writes the workbook, submits a plan and shows the system gap', async () => {
    const round = json('round.json', {
      code: '2026-27',
      name: 'Planning 2026/27',
      yearStart: '2026-04-01',
      items: { 'nhs-trust': ['fin_income', 'fin_pay_expenditure', 'fin_non_pay_expenditure'] },
      opens: '2026-01-06',
      deadline: '2026-03-27',
      closes: '2026-04-30',
    });
    expect((await cli.run('plan', 'round-create', round)).code).toBe(0);
    const envelope = await cli.run(
      'plan',
      'envelope',
      '2026-27',
      'QKK',
      '--file',
      json('envelope.json', { controlTotal: 500 }),
    );
    expect(envelope.code, envelope.stderr).toBe(0);
    const workbook = join(dir, 'plan.xlsx');
    expect((await cli.run('plan', 'template', '2026-27', 'TPL01', '--out', workbook)).code).toBe(0);
    expect(readFileSync(workbook).subarray(0, 2).toString()).toBe('PK');

    const bad = await cli.run(
      'plan',
      'submit',
      '2026-27',
      'TPL01',
      json('bad.json', { values: { fin_income: monthly(1) } }),
      '--as',
      'submitter@nhs.test',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('content.values.fin_pay_expenditure');
    const plan = await cli.json<{ plan: PlanView }>(
      'plan',
      'submit',
      '2026-27',
      'TPL01',
      json('plan.json', {
        values: {
          fin_income: monthly(100),
          fin_pay_expenditure: monthly(70),
          fin_non_pay_expenditure: monthly(40),
        },
      }),
      '--as',
      'submitter@nhs.test',
      '--json',
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.body.plan).toMatchObject({ status: 'submitted', version: 1, surplus: -120 });

    const system = await cli.json<SystemPlanView>(
      'plan',
      'system',
      '2026-27',
      'QKK',
      '--as',
      'director@nhs.test',
      '--json',
    );
    expect(system.body.position).toMatchObject({
      position: -120,
      controlTotal: 500,
      gap: -620,
      affordable: false,
    });
    const text = await cli.run('plan', 'system', '2026-27', 'QKK', '--as', 'director@nhs.test');
    expect(text.stdout).toContain('Not affordable: a gap of £620k.');
  }, 240_000);
});
