import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { createRound } from '../../services/planning.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { buildTrust } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';

/** Plans over the API: the workbook downloaded, filled in and uploaded; access; the system view. */

const today = '2026-02-10';

describe('planning over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let trust = '';
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    trust = await buildTrust(db, { parentCode: 'QKK', date: '2020-04-01' });
    await createRound(
      db,
      systemActor,
      {
        code: '2026-27',
        name: 'Planning 2026/27',
        yearStart: '2026-04-01',
        items: {
          'nhs-trust': ['fin_income', 'fin_pay_expenditure', 'fin_non_pay_expenditure', 'ae_attendances_all'],
        },
        opens: '2026-01-06',
        deadline: '2026-03-27',
        closes: '2026-04-30',
      },
      today,
    );
    app = await buildTestServer(handle, today);
    for (const [name, role, scope] of [
      ['submitter', 'trust-data-submitter', trust],
      ['icb', 'icb-lead', 'QKK'],
      ['region', 'regional-team', 'Y56'],
    ] as const) {
      const account = await createUser(db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(db, systemActor, { userId: account.id, role, scopeCode: scope }, today);
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('round-trips the plan workbook: download, fill in, upload; refuses a formula with its cell', async () => {
    const template = await app.inject({
      url: `/api/planning/rounds/2026-27/plans/${trust}/template.xlsx`,
      headers: headers.submitter,
    });
    expect(template.statusCode, template.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Plan');
    expect(sheet?.getCell('B1').value).toBe('2026-27');
    expect(sheet?.getCell('D4').value).toBe('May 2026');
    const rows: Record<string, number> = {
      fin_income: 1000,
      fin_pay_expenditure: 600,
      fin_non_pay_expenditure: 350,
      ae_attendances_all: 2500,
    };
    for (let r = 5; r <= 8; r += 1) {
      const item = String(sheet?.getCell(`A${r}`).value);
      for (let c = 3; c <= 14; c += 1) sheet!.getRow(r).getCell(c).value = rows[item] ?? 0;
    }
    workbook.getWorksheet('Flows')!.getRow(2).values = ['QKK', 'Urgent care', 30000, 0.4];
    const filled = Buffer.from(await workbook.xlsx.writeBuffer());
    const upload = await app.inject({
      method: 'POST',
      url: `/api/planning/rounds/2026-27/plans/${trust}/upload?fileName=plan.xlsx`,
      headers: { ...headers.submitter, 'content-type': 'application/octet-stream' },
      payload: filled,
    });
    expect(upload.statusCode, upload.body).toBe(200);
    expect(upload.json().plan).toMatchObject({ status: 'submitted', version: 1, surplus: 600 });
    expect(upload.json().plan.content.flows).toEqual([
      { counterparty: 'QKK', serviceLine: 'Urgent care', activity: 30000, price: 0.4 },
    ]);

    // The same workbook with a formula: refused at its cell, nothing saved.
    sheet!.getCell('C5').value = { formula: '500*2', result: 1000 };
    const formula = await app.inject({
      method: 'POST',
      url: `/api/planning/rounds/2026-27/plans/${trust}/upload?fileName=plan.xlsx&submit=false`,
      headers: { ...headers.submitter, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    expect(formula.statusCode).toBe(422);
    expect(formula.json().error.problems).toEqual([
      expect.objectContaining({
        file: 'plan.xlsx',
        column: 'Plan!C5',
        message: expect.stringMatching(/formula/),
      }),
    ]);
  });

  it('moves the plan through the workflow and shows the system to its ICB and region, not the public', async () => {
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/planning/rounds/2026-27/plans/${trust}/approve`,
          headers: headers.region,
        })
      ).statusCode,
    ).toBe(403);
    const approved = await app.inject({
      method: 'POST',
      url: `/api/planning/rounds/2026-27/plans/${trust}/approve`,
      headers: headers.icb,
    });
    expect(approved.json().plan.status).toBe('approved');
    const envelope = await app.inject({
      method: 'PUT',
      url: '/api/planning/rounds/2026-27/envelopes/QKK',
      headers: headers.region,
      payload: { controlTotal: 1000, activity: [] },
    });
    expect(envelope.statusCode, envelope.body).toBe(200);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url: '/api/planning/rounds/2026-27/envelopes/QKK',
          headers: headers.icb,
          payload: { controlTotal: 0 },
        })
      ).statusCode,
    ).toBe(403);
    const system = await app.inject({
      url: '/api/planning/rounds/2026-27/systems/QKK',
      headers: headers.region,
    });
    expect(system.statusCode, system.body).toBe(200);
    // 12 × (1,000 − 600 − 350) = 600 against a control total of 1,000: £400k short.
    expect(system.json().position).toMatchObject({ position: 600, gap: -400, affordable: false });
    expect((await app.inject({ url: '/api/planning/rounds/2026-27/systems/QKK' })).statusCode).toBe(401);
    const summary = await app.inject({
      url: '/api/planning/rounds/2026-27/summary/Y56',
      headers: headers.region,
    });
    expect(
      summary.json().systems.find((s: { icb: { odsCode: string } }) => s.icb.odsCode === 'QKK'),
    ).toMatchObject({ gap: -400, byStatus: { approved: 1 } });
  });
});
