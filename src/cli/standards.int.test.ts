import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { DeclarationDetail, StandardDetail, StandardSummary } from '../services/standard.service.js';

/** Comply or explain from the command line: a standard, declarations as named accounts, adoption, the register. */
describe('oversight standards', () => {
  let cli: CliEnvironment;
  const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-standards-'));
  const nextYear = `${new Date().getUTCFullYear() + 1}-03-31`;

  beforeAll(async () => {
    cli = await cliEnvironment();
    const open = (code: string, name: string) => [
      'orgs',
      'open',
      code,
      '--name',
      name,
      '--kind',
      'nhs-trust',
      '--parent',
      'QKK',
      '--date',
      '2020-04-01',
      '--reason',
      'Test',
    ];
    for (const args of [
      ['db', 'migrate'],
      open('TSA01', 'Alder NHS Trust'),
      open('TSB01', 'Birch NHS Trust'),
      ['users', 'create', '--email', 'alder@nhs.test', '--name', 'Alder board'],
      ['users', 'grant', 'alder@nhs.test', '--role', 'trust-board-member', '--scope', 'TSA01'],
      ['users', 'create', '--email', 'birch@nhs.test', '--name', 'Birch board'],
      ['users', 'grant', 'birch@nhs.test', '--role', 'trust-board-member', '--scope', 'TSB01'],
      ['users', 'create', '--email', 'icb@nhs.test', '--name', 'SEL ICB lead'],
      ['users', 'grant', 'icb@nhs.test', '--role', 'icb-lead', '--scope', 'QKK'],
    ]) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 600_000);
  afterAll(async () => cli?.close());

  // Each run starts a process on the embedded database: a few seconds each on a busy machine.
  it('adds and publishes a standard, and refuses declarations that are incomplete or not the caller’s', async () => {
    const file = join(dir, 'standard.json');
    writeFileSync(
      file,
      JSON.stringify({
        code: 'ltd-2026',
        title: 'Learning from deaths',
        owner: 'NHS England national medical director',
        organisationKinds: ['nhs-trust'],
        evidenceAsked: 'The quarterly learning from deaths report to the board',
        effectiveFrom: '2024-04-01',
        declarationsDue: nextYear,
      }),
    );
    const created = await cli.json<{ standard: { status: string } }>('standards', 'create', file);
    expect(created.code, created.stderr).toBe(0);
    expect(created.body.standard.status).toBe('draft');
    expect((await cli.run('standards', 'publish', 'ltd-2026')).code).toBe(0);

    // An explain without a plan: exit 2 with the located problem; nothing stored.
    const incomplete = await cli.run(
      'standards',
      'declare',
      'ltd-2026',
      'TSB01',
      '--explain',
      '--explanation',
      'Medical examiner not yet in post',
      '--as',
      'birch@nhs.test',
    );
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain('field plan: Add at least one action to the plan');
    // Another trust's board member, and an ICB lead for a trust: refused (exit 8).
    const other = await cli.run(
      'standards',
      'declare',
      'ltd-2026',
      'TSA01',
      '--comply',
      '--evidence',
      'x',
      '--as',
      'birch@nhs.test',
    );
    expect(other.code).toBe(8);
    const icb = await cli.run(
      'standards',
      'declare',
      'ltd-2026',
      'TSA01',
      '--comply',
      '--evidence',
      'x',
      '--as',
      'icb@nhs.test',
    );
    expect(icb.code).toBe(8);
    const badAction = await cli.run(
      'standards',
      'declare',
      'ltd-2026',
      'TSB01',
      '--explain',
      '--action',
      'only a description',
      '--as',
      'birch@nhs.test',
    );
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('is not an action');
  }, 600_000);

  it('takes a comply and an explain, each seen only by its own board until published', async () => {
    const comply = await cli.json<DeclarationDetail>(
      'standards',
      'declare',
      'ltd-2026',
      'TSA01',
      '--comply',
      '--evidence',
      'Q1 report to the board, 12 June',
      '--as',
      'alder@nhs.test',
    );
    expect(comply.code, comply.stderr).toBe(0);
    expect(comply.body.declaration).toMatchObject({ position: 'comply', version: 1 });
    const explain = await cli.json<DeclarationDetail>(
      'standards',
      'declare',
      'ltd-2026',
      'TSB01',
      '--explain',
      '--explanation',
      'Medical examiner not yet in post',
      '--action',
      `Appoint a medical examiner|Medical director|${nextYear}`,
      '--as',
      'birch@nhs.test',
    );
    expect(explain.code, explain.stderr).toBe(0);
    expect(explain.body.declaration?.plan).toEqual([
      { description: 'Appoint a medical examiner', owner: 'Medical director', due: nextYear },
    ]);

    // Birch's board cannot see Alder's unpublished declaration.
    const seen = await cli.json<DeclarationDetail>(
      'standards',
      'declaration',
      'ltd-2026',
      'TSA01',
      '--as',
      'birch@nhs.test',
    );
    expect(seen.body).toMatchObject({ declaration: null, declared: true });
  }, 600_000);

  it('shows adoption by England, region and ICB, the overdue, and the public register once published', async () => {
    const adoption = await cli.json<{ adoption: StandardDetail['adoption'] }>(
      'standards',
      'adoption',
      'ltd-2026',
    );
    expect(adoption.body.adoption.england).toMatchObject({
      applicable: 2,
      complies: 1,
      explains: 1,
      notDeclared: 0,
      declaredPercent: 100,
      compliesPercent: 50,
    });
    expect(adoption.body.adoption.icbs.find((r) => r.area.odsCode === 'QKK')).toMatchObject({
      applicable: 2,
      complies: 1,
      explains: 1,
    });
    expect(adoption.body.adoption.regions.find((r) => r.area.odsCode === 'Y56')).toMatchObject({
      applicable: 2,
    });
    const table = await cli.run('standards', 'adoption', 'ltd-2026', '--by', 'region');
    expect(table.stdout).toMatch(/London\s+Y56\s+2\s+1\s+1\s+0\s+0\s+0\s+100\.0%/);

    const list = await cli.json<{ standards: StandardSummary[] }>('standards', 'list');
    expect(list.body.standards.map((s) => [s.code, s.status, s.adoption.declaredPercent])).toEqual([
      ['ltd-2026', 'in-effect', 100],
    ]);
    expect((await cli.json<{ overdue: unknown[] }>('standards', 'overdue')).body.overdue).toEqual([]);

    expect((await cli.json<{ entries: unknown[] }>('standards', 'register')).body.entries).toEqual([]);
    const published = await cli.json<{ published: string[] }>(
      'standards',
      'publish',
      'ltd-2026',
      '--declarations',
      '--org',
      'TSB01',
    );
    expect(published.body.published).toEqual(['TSB01']);
    const register = await cli.json<{ entries: Array<{ odsCode: string; position: string }> }>(
      'standards',
      'register',
    );
    expect(register.body.entries.map((e) => [e.odsCode, e.position])).toEqual([['TSB01', 'explain']]);
  }, 600_000);
});
