import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { systemActor } from '../domain/audit.js';
import { reparentOrganisation } from './hierarchy.service.js';
import { listAuditEventsAsOperator, verifyAuditChain } from './audit.service.js';
import { createUser, grantRole, signInWithPassword } from './identity.service.js';
import { buildTrust, testContext } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';

describe('audit trail', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('records who changed what, with before and after, on one chain', async () => {
    const account = await createUser(
      handle.db,
      { ...systemActor, requestId: 'req-1' },
      {
        email: 'Ana.Lyst@NHS.test',
        name: 'Ana Lyst',
        password: 'a long enough passphrase',
      },
    );
    await grantRole(
      handle.db,
      systemActor,
      { userId: account.id, role: 'icb-lead', scopeCode: 'QKK' },
      '2025-01-01',
    );
    await buildTrust(handle.db, { odsCode: 'TAU01', parentCode: 'QKK', date: '2020-04-01' });
    await reparentOrganisation(handle.db, testContext, {
      odsCode: 'TAU01',
      parentCode: 'QMF',
      date: '2024-04-01',
      reason: 'Audit test',
    });
    const events = await listAuditEventsAsOperator(handle.db, { limit: 100 });
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.create', 'role.grant', 'hierarchy.open', 'hierarchy.reparent']),
    );
    const created = events.find((e) => e.action === 'user.create');
    expect(created?.after).toMatchObject({ email: 'ana.lyst@nhs.test', password: true });
    expect(JSON.stringify(created)).not.toContain('a long enough passphrase');
    expect(created?.actor.requestId).toBe('req-1');
    const verification = await verifyAuditChain(handle.db);
    expect(verification).toMatchObject({ ok: true, problem: null });
    expect(verification.events).toBeGreaterThanOrEqual(4);
  });

  it('refuses to change or delete an audit event', async () => {
    await expect(sql`update audit_event set actor_label = 'someone else'`.execute(handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_event`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('detects an event changed behind the triggers, and an event removed', async () => {
    const [target] = await listAuditEventsAsOperator(handle.db, { recordType: 'user', limit: 1 });
    if (!target) throw new Error('no event');
    // Someone with the database owner's rights switches the guard off and edits history.
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(handle.db);
    await sql`update audit_event set after_value = '{"role": "national-director", "scope": "England"}' where id = ${target.id}`.execute(
      handle.db,
    );
    const changed = await verifyAuditChain(handle.db);
    expect(changed.ok).toBe(false);
    expect(changed.problem?.id).toBe(target.id);
    expect(changed.problem?.message).toMatch(/changed since it was recorded/);

    // Put the content back, then remove an earlier event instead.
    await sql`update audit_event set after_value = ${JSON.stringify(target.after)}::jsonb where id = ${target.id}`.execute(
      handle.db,
    );
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
    const second = (await listAuditEventsAsOperator(handle.db, { limit: 1000 })).at(-2);
    if (!second) throw new Error('no event');
    const deleted = await sql`delete from audit_event where id = ${second.id}`.execute(handle.db);
    expect(Number(deleted.numAffectedRows)).toBe(1);
    const removed = await verifyAuditChain(handle.db);
    expect(removed.ok).toBe(false);
    expect(removed.problem?.message).toMatch(/does not follow/);
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(handle.db);
  });

  it('stays verifiable after text the database cannot store as given (a lone surrogate, NUL)', async () => {
    await sql`alter table audit_event enable trigger audit_event_append_only`
      .execute(handle.db)
      .catch(() => undefined);
    const fresh = await createTestDatabase('reference');
    try {
      await expect(
        signInWithPassword(
          fresh.db,
          { email: '\ud800x@nhs.test\u0000', password: 'whatever it is' },
          'req-\udc00',
        ),
      ).rejects.toThrow(/not right/);
      const verification = await verifyAuditChain(fresh.db);
      expect(verification).toMatchObject({ ok: true, problem: null });
      expect(verification.events).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });
});
