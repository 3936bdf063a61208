import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import { hasSharedData, sharedDataPath } from '../../test/shared-data.js';

const odsFiles = ['regions.csv', 'icbs.csv', 'trusts.csv', 'ods_successors.csv'];

describe('the oversight command', () => {
  let cli: CliEnvironment;
  beforeAll(async () => {
    cli = await cliEnvironment();
  });
  afterAll(async () => cli?.close());

  it('migrates and loads the reference structure, once', async () => {
    const first = await cli.json<{ migrationsApplied: string[]; referenceStructureLoaded: boolean }>(
      'db',
      'migrate',
    );
    expect(first.code).toBe(0);
    expect(first.body.referenceStructureLoaded).toBe(true);
    const second = await cli.json<{ migrationsApplied: string[]; referenceStructureLoaded: boolean }>(
      'db',
      'migrate',
    );
    expect(second.body).toMatchObject({ migrationsApplied: [], referenceStructureLoaded: false });
  });

  it('prints the tree as at a date, as a table and as JSON', async () => {
    const table = await cli.run('orgs', 'tree', '--as-at', '2019-03-31', '--depth', '1');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Y54  North of England');
    const { body } = await cli.json<{ counts: Record<string, number> }>(
      'orgs',
      'tree',
      '--as-at',
      '2019-04-01',
    );
    expect(body.counts).toMatchObject({ region: 7, stp: 42 });
  });

  it('refuses bad input with a located message, a non-zero exit and nothing stored', async () => {
    const unknown = await cli.run('orgs', 'show', 'ZZZ99');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('No organisation has ODS code ZZZ99');
    const badDate = await cli.run('orgs', 'tree', '--as-at', '2019-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('2019-02-30');

    const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-bad-'));
    const file = join(dir, 'trusts.csv');
    writeFileSync(
      file,
      'org_code,name,region_code,icb_code,postcode,open_date,close_date\nRZZ01,Good NHS Trust,Y56,QKK,,2001-04-01,\nRZZ02,Bad NHS Trust,Y56,QKK,,2001-04-31,\n',
    );
    const refused = await cli.run('import', 'ods', file);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('trusts.csv, row 3, column open_date');
    const search = await cli.json<{ total: number }>('orgs', 'search', 'RZZ01');
    expect(search.body.total).toBe(0);
    const asJson = await cli.json<{ error: { code: string; problems: unknown[] } }>('import', 'ods', file);
    expect(asJson.code).toBe(3);
    expect(asJson.body.error.code).toBe('invalid-file');
  });

  it.skipIf(!hasSharedData(...odsFiles))(
    "imports the ODS files and shows a merged trust's history",
    async () => {
      const imported = await cli.json<{
        files: Array<{ kind: string; opened: number }>;
        eventsRecorded: number;
      }>('import', 'ods', ...odsFiles.map(sharedDataPath), '--effective-date', '2021-11-30');
      expect(imported.code).toBe(0);
      expect(imported.body.files.find((f) => f.kind === 'trusts')?.opened).toBe(215);
      const show = await cli.run('orgs', 'show', 'RD3', '--as-at', '2019-06-01');
      expect(show.stdout).toContain('Path on 1 June 2019: X24 > Y58 > QVV > RD3');
      expect(show.stdout).toMatch(/2020-10-01\s+RD3\s+R0D\s+merger/);
      const asNow = await cli.json<{ status: string; current: Array<Array<{ odsCode: string }>> }>(
        'orgs',
        'path',
        'RQ8',
        '--as-now',
      );
      expect(asNow.body.status).toBe('succeeded');
      expect(asNow.body.current[0]?.map((o) => o.odsCode)).toEqual(['X24', 'Y61', 'QH8', 'RAJ']);
      const again = await cli.json<{ eventsRecorded: number }>(
        'import',
        'ods',
        ...odsFiles.map(sharedDataPath),
        '--effective-date',
        '2021-11-30',
      );
      expect(again.body.eventsRecorded).toBe(0);
    },
  );

  it('records a merger from the command line, with the reason on the event', async () => {
    const open = async (code: string) =>
      cli.run(
        'orgs',
        'open',
        code,
        '--name',
        `CLI ${code} NHS Trust`,
        '--kind',
        'nhs-trust',
        '--sector',
        'acute',
        '--parent',
        'QWO',
        '--date',
        '2020-01-01',
        '--reason',
        'Test',
      );
    expect((await open('TC001')).code).toBe(0);
    expect((await open('TC002')).code).toBe(0);
    const merged = await cli.run(
      'orgs',
      'merge',
      'TC001',
      'TC002',
      '--into',
      'TC003',
      '--name',
      'CLI Merged NHS Trust',
      '--parent',
      'QWO',
      '--date',
      '2024-04-01',
      '--reason',
      'Boards agreed',
    );
    expect(merged.code).toBe(0);
    const { body } = await cli.json<{ events: Array<{ type: string; reason: string }> }>(
      'orgs',
      'events',
      'TC003',
    );
    expect(body.events).toEqual([expect.objectContaining({ type: 'merge', reason: 'Boards agreed' })]);
    const missingReason = await cli.run('orgs', 'close', 'TC003', '--date', '2025-01-01');
    expect(missingReason.code).toBe(2);
  });

  it('imports figures, quarantines an unknown code, and answers metric, league and dashboard questions', async () => {
    for (const code of ['TM001', 'TM002']) {
      const opened = await cli.run(
        'orgs',
        'open',
        code,
        '--name',
        `CLI ${code} NHS Trust`,
        '--kind',
        'nhs-trust',
        '--sector',
        'acute',
        '--parent',
        'QWE',
        '--date',
        '2020-01-01',
        '--reason',
        'Test',
      );
      expect(opened.code).toBe(0);
    }
    const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-metrics-'));
    const file = join(dir, 'ae.csv');
    writeFileSync(
      file,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        '2024-01-01,TM001,1000,100,10,0\n2024-01-01,TM002,100,90,10,0\n2024-01-01,ZQ999,50,5,1,0\n',
    );
    const imported = await cli.json<{ rowsRead: number; quarantined: number }>('import', 'ae', file);
    expect(imported.code).toBe(0);
    expect(imported.body).toMatchObject({ rowsRead: 3 });

    const held = await cli.json<Array<{ odsCode: string }>>('quarantine', 'list');
    expect(held.body.map((c) => c.odsCode)).toEqual(['ZQ999']);

    const metric = await cli.json<{
      series: Array<{ points: Array<{ numerator: number; denominator: number; value: number }> }>;
    }>('metric', 'ae_4h_all', '--org', 'QWE', '--from', '2024-01-01', '--to', '2024-01-01');
    expect(metric.body.series[0]?.points[0]).toMatchObject({ numerator: 910, denominator: 1100 });

    const league = await cli.json<{ rows: Array<{ odsCode: string; rank: number }> }>(
      'league',
      'ae_4h_all',
      '--period',
      '2024-01-01',
    );
    expect(league.body.rows.map((r) => [r.odsCode, r.rank])).toEqual([
      ['TM001', 1],
      ['TM002', 2],
    ]);

    const dashboard = await cli.json<{
      series: Array<{ metric: { code: string }; points: Array<{ value: number | null; reported: number }> }>;
    }>(
      'dashboard',
      'QWE',
      '--metrics',
      'ae_4h_all,ae_attendances',
      '--from',
      '2024-01-01',
      '--to',
      '2024-01-01',
    );
    expect(dashboard.code).toBe(0);
    const [fourHour, attendances] = dashboard.body.series;
    expect(fourHour?.points[0]?.value).toBeCloseTo((910 / 1100) * 100, 10);
    expect(attendances?.points[0]).toMatchObject({ value: 1100, reported: 2 });
    const table = await cli.run('dashboard', 'QWE', '--metrics', 'ae_4h_all');
    expect(table.stdout).toContain('82.7%');
    const members = await cli.json<{
      members: Array<{ odsCode: string }>;
      area: { figures: Record<string, { value: number }> };
    }>('members', 'QWE', '--as-at', '2024-01-15', '--metrics', 'ae_attendances');
    expect(members.code).toBe(0);
    // The ICB's trusts (with the published ones when the ODS files were imported above).
    expect(members.body.members.map((m) => m.odsCode)).toEqual(expect.arrayContaining(['TM001', 'TM002']));
    expect(members.body.area.figures.ae_attendances?.value).toBe(1100);
    const membersTable = await cli.run(
      'members',
      'QWE',
      '--as-at',
      '2024-01-15',
      '--metrics',
      'ae_attendances',
    );
    expect(membersTable.stdout).toMatch(/all members \(QWE\)\s+1,100 Jan 2024/);

    const spc = await cli.json<{ sentence: string; points: Array<{ label: string; pointType: string }> }>(
      'spc',
      'ae_attendances',
      '--org',
      'QWE',
      '--from',
      '2024-01-01',
      '--to',
      '2024-02-01',
    );
    // One month of figures: no limits can be drawn, and the command says so rather than guessing.
    expect(spc.code).toBe(0);
    expect(spc.body.sentence).toBe('Not enough figures for process limits: 1 of the 2 needed.');
    expect(spc.body.points).toEqual([]);
    const spcTable = await cli.run(
      'spc',
      'ae_attendances',
      '--org',
      'QWE',
      '--from',
      '2024-01-01',
      '--to',
      '2024-02-01',
    );
    expect(spcTable.stdout).toContain('Not enough figures for process limits');
    expect((await cli.run('spc', 'ae_attendances', '--run-length', '5')).code).toBe(2);
    const report = await cli.json<{ sections: Array<{ rows: Array<{ metric: { code: string } }> }> }>(
      'report',
      'QWE',
      '--until',
      '2024-01-31',
    );
    expect(report.code).toBe(0);
    expect(report.body.sections.flatMap((s) => s.rows.map((r) => r.metric.code))).toContain('ae_attendances');
    expect((await cli.run('report', 'QWE', '--until', '2024-01-31')).stdout).toContain(
      'Integrated performance report',
    );

    const unknown = await cli.run('dashboard', 'ZZZ99');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('ZZZ99');
  });

  it('manages accounts and machine tokens, and verifies the audit chain (exit 10 when tampered with)', async () => {
    const created = await cli.runWithInput(
      'a long enough passphrase\n',
      'users',
      'create',
      '--email',
      'lead@nhs.test',
      '--name',
      'Ida Lead',
      '--password-stdin',
    );
    expect(created.code, created.stderr).toBe(0);
    const weak = await cli.runWithInput(
      'short\n',
      'users',
      'create',
      '--email',
      'w@nhs.test',
      '--name',
      'W',
      '--password-stdin',
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('12 characters');
    const granted = await cli.json<{ roles: Array<{ role: string; scope: { odsCode: string } }> }>(
      'users',
      'grant',
      'lead@nhs.test',
      '--role',
      'icb-lead',
      '--scope',
      'QKK',
    );
    expect(granted.code).toBe(0);
    expect(granted.body.roles).toEqual([
      expect.objectContaining({ role: 'icb-lead', scope: expect.objectContaining({ odsCode: 'QKK' }) }),
    ]);
    const wrongScope = await cli.run(
      'users',
      'grant',
      'lead@nhs.test',
      '--role',
      'icb-lead',
      '--scope',
      'Y56',
    );
    expect(wrongScope.code).toBe(2);
    expect(wrongScope.stderr).toMatch(/ICB/);
    const token = await cli.json<{ token: string; details: { id: number; templates: string[] } }>(
      'tokens',
      'create',
      '--name',
      'Feed',
      '--org',
      'QKK',
      '--templates',
      'ae-monthly,beds-daily',
    );
    expect(token.body.token).toMatch(/^ovs_\d+_/);
    expect(token.body.details.templates).toEqual(['ae-monthly', 'beds-daily']);
    const tokens = await cli.json<Array<{ status: string }>>('tokens', 'list');
    expect(JSON.stringify(tokens.body)).not.toContain(token.body.token.split('_')[2]);
    expect((await cli.run('tokens', 'revoke', String(token.body.details.id))).code).toBe(0);

    const history = await cli.json<Array<{ action: string; actor: { kind: string } }>>(
      'audit',
      'list',
      '--limit',
      '20',
    );
    expect(history.body.map((e) => e.action)).toEqual(
      expect.arrayContaining(['user.create', 'role.grant', 'token.create', 'token.revoke']),
    );
    expect(history.body.find((e) => e.action === 'token.create')?.actor.kind).toBe('operator');
    const intact = await cli.json<{ ok: boolean; events: number }>('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.body.ok).toBe(true);

    // Tamper with one row behind the append-only trigger, as a database owner could.
    const handle = await cli.openDatabase();
    try {
      await sql`alter table audit_event disable trigger audit_event_append_only`.execute(handle.db);
      await sql`update audit_event set actor_label = 'Somebody else' where action = 'role.grant'`.execute(
        handle.db,
      );
      await sql`alter table audit_event enable trigger audit_event_append_only`.execute(handle.db);
    } finally {
      await handle.close();
    }
    const broken = await cli.run('audit', 'verify');
    expect(broken.code).toBe(10);
    expect(broken.stdout).toMatch(/BROKEN at event \d+/);
  });
});
