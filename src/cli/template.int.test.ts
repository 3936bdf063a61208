import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { Burden, ItemLineage, TemplateView } from '../services/template.service.js';

describe('oversight templates, lineage and burden', () => {
  let cli: CliEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-templates-'));
  const file = (name: string, items: string[]) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        code: name,
        name: `Template ${name}`,
        periodType: 'quarter',
        organisationKinds: ['icb'],
        items,
        schedule: { opensAfterDays: 0, softDeadlineDays: 30, hardCloseDays: 45 },
      }),
    );
    return path;
  };

  beforeAll(async () => {
    cli = await cliEnvironment();
    expect((await cli.run('db', 'migrate')).code).toBe(0);
  });
  afterAll(async () => cli?.close());

  it('creates and activates a template, and refuses a second one that repeats an item', async () => {
    const created = await cli.run(
      'templates',
      'create',
      file('icb-finance', ['fin_income', 'fin_pay_expenditure']),
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Template icb-finance (icb-finance): draft');
    const active = await cli.json<{ template: TemplateView }>(
      'templates',
      'activate',
      'icb-finance',
      '--from',
      '2025-04-01',
    );
    expect(active.body.template.status).toBe('active');
    expect((await cli.run('templates', 'create', file('icb-pay', ['fin_pay_expenditure']))).code).toBe(0);
    const refused = await cli.run('templates', 'activate', 'icb-pay', '--from', '2025-07-01');
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('fin_pay_expenditure is already collected');
    expect(refused.stderr).toContain('"Template icb-finance" (icb-finance)');
    const list = await cli.run('templates', 'list');
    expect(list.stdout).toMatch(/icb-pay\s+Template icb-pay\s+draft/);
  });

  it('prints lineage and the burden on an ICB', async () => {
    const lineage = await cli.json<{ items: ItemLineage[] }>('lineage');
    expect(lineage.body.items.find((i) => i.item === 'fin_income')?.templates.map((t) => t.code)).toEqual([
      'icb-finance',
    ]);
    // QKK in 2025/26: four quarterly returns of two items; nothing in 2024/25.
    const burden = await cli.json<Burden>('burden', 'QKK', '--year', '2025-06-01');
    expect(burden.body).toMatchObject({
      returns: 4,
      items: 8,
      previousYear: { returns: 0 },
      change: { items: 8 },
    });
    // The ICB's inbox: the quarters that have opened, the latest first among those outstanding.
    const inbox = await cli.json<{ items: Array<{ template: { code: string } }> }>('inbox', 'QKK');
    expect(inbox.code).toBe(0);
    expect(inbox.body.items.every((i) => i.template.code === 'icb-finance')).toBe(true);
    // Every ICB was asked for the quarter to June 2025 and none has made a return.
    const coverage = await cli.json<{ summary: { asked: number; missing: number } }>(
      'templates',
      'coverage',
      'icb-finance',
      '--period',
      '2025-04-01',
    );
    expect(coverage.body.summary).toEqual({
      asked: 42,
      submitted: 0,
      onTime: 0,
      missing: 42,
      complete: 0,
      accepted: 0,
    });
    const missing = await cli.run('burden', 'ZZZ99');
    expect(missing.code).toBe(4);
  });
});
