import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { returnFormats, type ReturnDocument } from '../../domain/return-document.js';
import { readReturn, writeReturn } from '../../import/return-formats.js';
import { createMachineToken, createUser, grantRole } from '../../services/identity.service.js';
import { getReturnLayout } from '../../services/submission.service.js';
import { activateTemplate, createTemplate } from '../../services/template.service.js';
import { buildTrust } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';
import { buildServer } from '../server.js';

/**
 * Returns as files over the API: the same return stored identically from CSV, XLSX, JSON, FHIR
 * MeasureReport and ADX and exported back in each; a corpus of bad files each refused with a located
 * message and nothing stored; exports that a spreadsheet cannot run.
 */

const today = '2025-08-15';
const password = 'correct horse battery staple';
const items = ['ae_attendances_type1', 'ae_breaches_4h_type1', 'ae_attendances_other', 'ae_dta_over_4h'];

describe('returns as files', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let trust = '';
  let token = '';
  let reader: Record<string, string> = {};

  const count = async () =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from submission`.execute(handle.db)).rows[0]?.n,
    );
  const upload = (bytes: Buffer, query: string, extra: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/submissions/upload?template=ae-files&${query}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...extra },
      payload: bytes,
    });
  const document = (periodStart: string, values: ReturnDocument['values']): ReturnDocument => ({
    template: 'ae-files',
    odsCode: trust,
    periodStart,
    values,
    explanations: {},
    locations: {},
  });

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    trust = await buildTrust(db, { parentCode: 'QKK', date: '2016-04-01' });
    await createTemplate(
      db,
      systemActor,
      {
        code: 'ae-files',
        name: 'A&E by file',
        periodType: 'month',
        organisationKinds: ['nhs-trust'],
        items,
        schedule: { opensAfterDays: 1, softDeadlineDays: 10, hardCloseDays: 20 },
        rules: { items: { ae_dta_over_4h: { required: false } } },
      },
      today,
    );
    await activateTemplate(db, systemActor, 'ae-files', '2024-04-01', today);
    token = (
      await createMachineToken(db, systemActor, { name: 'PAS feed', odsCode: trust, templates: ['ae-files'] })
    ).token;
    const account = await createUser(db, systemActor, { email: 'icb@nhs.test', name: 'ICB lead', password });
    await grantRole(db, systemActor, { userId: account.id, role: 'icb-lead', scopeCode: 'QKK' }, today);
    app = await buildServer({
      db,
      engine: handle.engine,
      today: () => today,
      webRoot: null,
      logLevel: 'silent',
    });
    const session = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'icb@nhs.test', password },
    });
    const cookie = session.cookies.find((c) => c.name === 'oversight_session');
    reader = { cookie: `oversight_session=${cookie?.value}` };
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('stores the same return identically from every format, and exports it back in every format', async () => {
    const layout = await getReturnLayout(handle.db, 'ae-files');
    const values = {
      ae_attendances_type1: 10234,
      ae_breaches_4h_type1: 2210,
      ae_attendances_other: 0,
      ae_dta_over_4h: null,
    };
    const stored: Record<string, unknown> = {};
    for (const [i, format] of returnFormats.entries()) {
      const periodStart = `2025-0${i + 1}-01`;
      const bytes = await writeReturn(format, document(periodStart, values), layout);
      const response = await upload(bytes, `fileName=return.${format}`);
      expect(response.statusCode, `${format}: ${response.body}`).toBe(200);
      expect(response.json()).toMatchObject({ status: 'submitted', version: 1, periodStart });
      stored[format] = response.json().values;
      // Exported in every format and read back: the same values.
      for (const out of returnFormats) {
        const exported = await app.inject({
          url: `/api/submissions/${response.json().id}/export?format=${out}`,
          headers: reader,
        });
        expect(exported.statusCode, `${format} → ${out}: ${exported.body}`).toBe(200);
        const read = await readReturn(out, exported.rawPayload, layout, `export.${out}`);
        expect(read.values, `${format} → ${out}`).toEqual(values);
      }
    }
    for (const format of returnFormats) expect(stored[format], format).toEqual(values);
  });

  it('answers a retried upload with the same idempotency key from the first, without a second version', async () => {
    const layout = await getReturnLayout(handle.db, 'ae-files');
    const bytes = await writeReturn(
      'csv',
      document('2025-07-01', {
        ae_attendances_type1: 5,
        ae_breaches_4h_type1: 1,
        ae_attendances_other: 2,
        ae_dta_over_4h: 0,
      }),
      layout,
    );
    const first = await upload(bytes, 'fileName=july.csv', { 'idempotency-key': 'july-1' });
    const again = await upload(bytes, 'fileName=july.csv', { 'idempotency-key': 'july-1' });
    expect(first.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, version: 1, replayed: true });
  });

  const header = 'template,ods_code,period_start,item,value';
  const csvOf = (rows: string[]) => Buffer.from([header, ...rows].join('\n'));
  const good = () => [
    `ae-files,${trust},2025-06-01,ae_attendances_type1,100`,
    `ae-files,${trust},2025-06-01,ae_breaches_4h_type1,10`,
    `ae-files,${trust},2025-06-01,ae_attendances_other,5`,
  ];
  const formulaWorkbook = async () => {
    const layout = await getReturnLayout(handle.db, 'ae-files');
    const bytes = await writeReturn('xlsx', document('2025-06-01', {}), layout);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Return');
    if (!sheet) throw new Error('no sheet');
    sheet.getCell('C8').value = { formula: '1+2', result: 3 };
    sheet.getCell('C9').value = 1;
    sheet.getCell('C10').value = 1;
    return Buffer.from(await workbook.xlsx.writeBuffer());
  };
  const corpus: Array<[string, () => Promise<Buffer> | Buffer, string, RegExp]> = [
    ['wrong headers', () => Buffer.from('org,month,item,amount\nX,2025-06-01,a,1'), 'csv', /column/i],
    [
      'another template',
      () => csvOf(good().map((r) => r.replace('ae-files', 'rtt-monthly'))),
      'csv',
      /ae-files/,
    ],
    ['not an ODS code', () => csvOf(good().map((r) => r.replace(trust, 'not a code'))), 'csv', /ODS code/],
    [
      'a mid-month period',
      () => csvOf(good().map((r) => r.replace('2025-06-01', '2025-06-15'))),
      'csv',
      /month/,
    ],
    [
      'a non-number',
      () => csvOf([...good().slice(0, 2), `ae-files,${trust},2025-06-01,ae_attendances_other,12a`]),
      'csv',
      /number/,
    ],
    [
      'a negative count',
      () => csvOf([...good().slice(0, 2), `ae-files,${trust},2025-06-01,ae_attendances_other,-5`]),
      'csv',
      /0 or more/,
    ],
    [
      'a duplicate item',
      () => csvOf([...good(), `ae-files,${trust},2025-06-01,ae_attendances_other,6`]),
      'csv',
      /twice|again|repeat/i,
    ],
    [
      'a formula in a CSV cell',
      () => csvOf([...good().slice(0, 2), `ae-files,${trust},2025-06-01,ae_attendances_other,=1+2`]),
      'csv',
      /number/,
    ],
    ['a formula cell', formulaWorkbook, 'xlsx', /formula/],
    ['a huge file', () => Buffer.alloc(5 * 1024 * 1024 + 10, 'a'), 'csv', /MiB|large|big/i],
    [
      'Latin-1 text',
      () => Buffer.from(`${header}\nae-files,${trust},2025-06-01,ae_attendances_type1,1\n£`, 'latin1'),
      'csv',
      /UTF-8/,
    ],
    [
      'UTF-16',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header, 'utf16le')]),
      'csv',
      /UTF-8|UTF-16/,
    ],
    ['an empty file', () => Buffer.alloc(0), 'csv', /empty/i],
  ];
  it.each(corpus)(
    'refuses %s with a located message, storing nothing',
    async (_name, build, format, message) => {
      const before = await count();
      const response = await upload(await build(), `fileName=bad.${format}&format=${format}`);
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      const error = response.json().error as { message: string; problems: Array<Record<string, unknown>> };
      const text = [error.message, ...error.problems.map((p) => String(p.message))].join(' ');
      expect(text).toMatch(message);
      // Located: a file, a row or column, or a field.
      expect(error.problems.length).toBeGreaterThan(0);
      expect(
        error.problems.every((p) => p.file !== undefined || p.row !== undefined || p.field !== undefined),
      ).toBe(true);
      expect(await count()).toBe(before);
    },
  );

  it('refuses a return for another organisation than the token’s, storing nothing', async () => {
    const other = await buildTrust(handle.db, { parentCode: 'QKK', date: '2016-04-01' });
    const before = await count();
    const response = await upload(csvOf(good().map((r) => r.replace(trust, other))), 'fileName=other.csv');
    expect(response.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('exports explanations that a spreadsheet would run as text', async () => {
    const response = await app.inject({
      method: 'PUT',
      url: '/api/submissions',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        template: 'ae-files',
        organisation: trust,
        periodStart: '2025-08-01',
        values: { ae_attendances_type1: 5, ae_breaches_4h_type1: 1, ae_attendances_other: 2 },
        explanations: { ae_attendances_type1: '=HYPERLINK("http://example.com","click")' },
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const csv = await app.inject({
      url: `/api/submissions/${response.json().id}/export?format=csv`,
      headers: reader,
    });
    expect(csv.body).toContain(`'=HYPERLINK`);
    const xlsx = await app.inject({
      url: `/api/submissions/${response.json().id}/export?format=xlsx`,
      headers: reader,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    let formulas = 0;
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) formulas += 1;
        }),
      ),
    );
    expect(formulas).toBe(0);
  });
});
