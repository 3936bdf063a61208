import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { buildTrust } from '../../../test/factories.js';
import { pdfTextLines } from '../../../test/pdf-text.js';
import { importStatisticsFile } from '../../../test/statistics.js';
import { createTestDatabase } from '../../../test/test-database.js';
import { buildServer } from '../server.js';

describe('the board report as a PDF (GET /api/report.pdf)', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    await buildTrust(handle.db, {
      odsCode: 'TP001',
      name: 'Delta NHS Trust',
      parentCode: 'QKK',
      date: '2016-04-01',
    });
    // Two years of A&E figures: enough points for process limits and icons.
    const rows: string[] = [];
    for (let i = 0; i < 24; i++) {
      const month = `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
      const attendances = 1000 + ((i * 37) % 90);
      rows.push(`${month},TP001,${attendances},${150 + ((i * 13) % 40)},100,5`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'oversight-api-report-pdf-'));
    const path = join(dir, 'ae.csv');
    writeFileSync(
      path,
      'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours\n' +
        rows.join('\n') +
        '\n',
    );
    await importStatisticsFile(handle, 'ae', path);
    app = await buildServer({
      db: handle.db,
      engine: handle.engine,
      today: () => '2025-06-01',
      webRoot: null,
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('downloads a PDF whose text names the organisation, the month and each measure', async () => {
    const response = await app.inject({ url: '/api/report.pdf?org=TP001&until=2024-12-20' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="ipr-TP001-2024-12.pdf"');
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const lines = pdfTextLines(pdf);
    expect(lines).toContain('Delta NHS Trust');
    expect(lines).toContain('ODS code TP001  ·  Figures to December 2024  ·  Produced 1 June 2025');
    expect(lines).toContain('A&E attendances, all types');
    expect(lines).toContain('Generated 1 June 2025 by NHS Oversight');
    expect(lines.some((l) => /^Page 1 of \d+$/.test(l))).toBe(true);
  });

  it('refuses an unknown organisation with the JSON error, and a missing one with a located 400', async () => {
    const unknown = await app.inject({ url: '/api/report.pdf?org=ZZZ99' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/json');
    expect(unknown.json().error.code).toBe('not-found');
    const missing = await app.inject({ url: '/api/report.pdf' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.problems[0].field).toBe('org');
  });
});
