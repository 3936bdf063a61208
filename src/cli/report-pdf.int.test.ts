import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import { pdfTextLines } from '../../test/pdf-text.js';

describe('oversight report --pdf', () => {
  let cli: CliEnvironment;
  beforeAll(async () => {
    cli = await cliEnvironment();
    expect((await cli.run('db', 'migrate')).code).toBe(0);
    const opened = await cli.run(
      'orgs',
      'open',
      'TR001',
      '--name',
      'Epsilon NHS Trust',
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
    expect(opened.code, opened.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-report-'));
    const file = join(dir, 'ae.csv');
    writeFileSync(
      file,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        '2024-01-01,TR001,1000,100,10,0\n2024-02-01,TR001,1100,150,12,1\n',
    );
    expect((await cli.run('import', 'ae', file)).code).toBe(0);
  });
  afterAll(async () => cli?.close());

  it('writes the PDF whole, prints its path, and replaces an older file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-pdf-'));
    const target = join(dir, 'board.pdf');
    writeFileSync(target, 'an older report');
    const result = await cli.run('report', 'TR001', '--until', '2024-02-29', '--pdf', target);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(target);
    const pdf = readFileSync(target);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const lines = pdfTextLines(pdf);
    expect(lines).toContain('Epsilon NHS Trust');
    expect(lines).toContain('A&E attendances, all types');
    // No temporary file left beside it.
    expect(readdirSync(dir)).toEqual(['board.pdf']);
  });

  it('refuses a folder, and a folder that does not exist, before doing any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-cli-pdf-'));
    mkdirSync(join(dir, 'reports'));
    const folder = await cli.run('report', 'TR001', '--pdf', join(dir, 'reports'));
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a folder');
    const missing = await cli.run('report', 'TR001', '--pdf', join(dir, 'nowhere', 'board.pdf'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`The folder ${join(dir, 'nowhere')} does not exist`);
    expect(readdirSync(dir)).toEqual(['reports']);
    expect(readdirSync(join(dir, 'reports'))).toEqual([]);
  });
});
