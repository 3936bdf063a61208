import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { Chain, InterventionDetail, InterventionSummary } from '../services/intervention.service.js';

/** The interventions register from the command line: record from a signal, list, show, review, chain, exit. */
describe('oversight interventions', () => {
  let cli: CliEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-interventions-'));
  const file = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };

  beforeAll(async () => {
    cli = await cliEnvironment();
    // 21 months at 85% within 4 hours, then three at 70%: April 2025 is a special cause of concern.
    const lines = ['period,org_code,data_item,value'];
    for (let m = 0; m < 24; m += 1) {
      const month = new Date(Date.UTC(2023, 6 + m, 1)).toISOString().slice(0, 10);
      lines.push(
        `${month},TCI01,ae_attendances_all,1000`,
        `${month},TCI01,ae_breaches_4h_all,${m < 21 ? 150 : 300}`,
      );
    }
    for (const args of [
      ['db', 'migrate'],
      [
        'orgs',
        'open',
        'TCI01',
        '--name',
        'Chain Trust',
        '--kind',
        'nhs-trust',
        '--parent',
        'QKK',
        '--date',
        '2020-04-01',
        '--reason',
        'Test',
      ],
      ['import', 'observations', file('figures.csv', `${lines.join('\n')}\n`)],
      ['users', 'create', '--email', 'london@nhs.test', '--name', 'London Director'],
      ['users', 'grant', 'london@nhs.test', '--role', 'regional-director', '--scope', 'Y56'],
      ['users', 'create', '--email', 'east@nhs.test', '--name', 'East Director'],
      ['users', 'grant', 'east@nhs.test', '--role', 'regional-director', '--scope', 'Y61'],
    ]) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });
  afterAll(async () => cli?.close());

  const intervention = {
    organisation: 'TCI01',
    kind: 'enhanced-oversight',
    title: 'Urgent care recovery',
    owner: 'London regional director',
    signal: { kind: 'spc-special-cause', metric: 'ae_4h_all', period: '2025-04-01' },
    openedOn: '2025-07-01',
    nextReview: '2025-10-01',
    exitCriteria: 'Three months at or above 78%',
    actions: [{ description: 'Streaming plan', owner: 'COO', due: '2025-08-01' }],
  };

  it('records an intervention from a signal, refusing another region and a month with no signal', async () => {
    const refused = await cli.json<{ error: { code: string } }>(
      'interventions',
      'record',
      file('east.json', JSON.stringify(intervention)),
      '--as',
      'east@nhs.test',
    );
    expect(refused.code).toBe(8);
    expect(refused.body.error.code).toBe('forbidden');
    const noSignal = await cli.json<{ error: { code: string; problems: Array<{ field: string }> } }>(
      'interventions',
      'record',
      file(
        'march.json',
        JSON.stringify({ ...intervention, signal: { ...intervention.signal, period: '2024-03-01' } }),
      ),
      '--as',
      'london@nhs.test',
    );
    expect(noSignal.code).toBe(2);
    expect(noSignal.body.error.problems).toEqual([expect.objectContaining({ field: 'signal.period' })]);

    const recorded = await cli.json<{ intervention: InterventionDetail }>(
      'interventions',
      'record',
      file('london.json', JSON.stringify(intervention)),
      '--as',
      'london@nhs.test',
    );
    expect(recorded.code, JSON.stringify(recorded.body)).toBe(0);
    expect(recorded.body.intervention).toMatchObject({
      id: 1,
      organisation: { odsCode: 'TCI01' },
      signal: { kind: 'spc-special-cause', observed: { value: 70, pointType: 'special_cause_concern' } },
      actions: { open: 1, overdue: 1 },
    });
  });

  it('lists and shows it to the region, not to another region, and walks the chain from the signal', async () => {
    const london = await cli.json<{ interventions: InterventionSummary[] }>(
      'interventions',
      'list',
      '--as',
      'london@nhs.test',
    );
    expect(london.body.interventions.map((i) => i.id)).toEqual([1]);
    const east = await cli.json<{ interventions: InterventionSummary[] }>(
      'interventions',
      'list',
      '--as',
      'east@nhs.test',
    );
    expect(east.body.interventions).toEqual([]);
    const hidden = await cli.run('interventions', 'show', '1', '--as', 'east@nhs.test');
    expect(hidden.code).toBe(4);
    const chain = await cli.json<{ chain: Chain }>(
      'interventions',
      'chain',
      'TCI01',
      'ae_4h_all',
      '2025-04-01',
    );
    expect(chain.body.chain.signals[0]).toMatchObject({ specialCause: true, value: 70 });
    expect(chain.body.chain.interventions.map((i) => i.id)).toEqual([1]);
    const text = await cli.run('interventions', 'show', '1');
    expect(text.stdout).toMatch(
      /Triggered by: SPC special cause: A&E 4-hour performance, all types was 70.0% in April 2025/,
    );
  });

  it('reviews, completes an action and ends the intervention', async () => {
    expect(
      (
        await cli.run(
          'interventions',
          'review',
          '1',
          '--on',
          '2025-08-01',
          '--outcome',
          'Improving',
          '--next',
          '2025-11-01',
          '--as',
          'london@nhs.test',
        )
      ).code,
    ).toBe(0);
    expect(
      (await cli.run('interventions', 'done', '1', '1', '--on', '2025-08-02', '--as', 'london@nhs.test'))
        .code,
    ).toBe(0);
    const ended = await cli.json<{ intervention: InterventionDetail }>(
      'interventions',
      'exit',
      '1',
      '--on',
      '2025-09-01',
      '--reason',
      'Three months at 79%',
      '--as',
      'london@nhs.test',
    );
    expect(ended.body.intervention).toMatchObject({
      status: 'exited',
      reviews: [{ outcome: 'Improving' }],
      actions: { open: 0 },
    });
    const again = await cli.run('interventions', 'exit', '1', '--on', '2025-09-01', '--reason', 'again');
    expect(again.code).toBe(5);
  });
});
