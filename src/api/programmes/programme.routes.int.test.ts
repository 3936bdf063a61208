import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { createTestDatabase } from '../../../test/test-database.js';

/** National programmes over the API: public reading, the lifecycle, contributions and who may record them. */

const today = '2026-02-10';

describe('national programmes over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    app = await buildTestServer(handle, today);
    for (const [name, role, scope] of [
      ['director', 'national-director', undefined],
      ['midlands', 'regional-director', 'Y60'],
      ['london', 'regional-director', 'Y56'],
      ['icb', 'icb-lead', 'QKK'],
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

  it('lets anyone read the programmes, without the names of who recorded what', async () => {
    const list = await app.inject({ url: '/api/programmes' });
    expect(list.statusCode).toBe(200);
    expect(list.json().programmes).toHaveLength(4);
    const detail = await app.inject({ url: '/api/programmes/urgent-emergency-care' });
    expect(detail.statusCode, detail.body).toBe(200);
    const programme = detail.json().programme;
    expect(programme).toMatchObject({
      stage: 'in-delivery',
      nationalDirector: 'National Director for Urgent and Emergency Care',
      permissions: { manage: false, nextStages: [], contributeFor: [] },
    });
    expect(programme.history[0].changedBy).toBeNull();
    expect(programme.metrics[0].england.standing).toBe('no-data');
    expect((await app.inject({ url: '/api/programmes/nothing-here' })).statusCode).toBe(404);
    // Changes need a signed-in caller.
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/programmes/cancer/stage',
      payload: { to: 'under-review', reason: 'Review' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('moves a programme to under review and records the review, for national directors only', async () => {
    const regional = await app.inject({
      method: 'POST',
      url: '/api/programmes/cancer/stage',
      headers: headers.london,
      payload: { to: 'under-review', reason: 'Review' },
    });
    expect(regional.statusCode).toBe(403);
    const noReason = await app.inject({
      method: 'POST',
      url: '/api/programmes/cancer/stage',
      headers: headers.director,
      payload: { to: 'under-review' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.problems).toEqual([
      { field: 'reason', message: 'Enter the reason for the move: every stage change is recorded with why' },
    ]);
    const jump = await app.inject({
      method: 'POST',
      url: '/api/programmes/cancer/stage',
      headers: headers.director,
      payload: { to: 'closed', reason: 'Done' },
    });
    expect(jump.statusCode).toBe(409);
    const moved = await app.inject({
      method: 'POST',
      url: '/api/programmes/cancer/stage',
      headers: headers.director,
      payload: { to: 'under-review', reason: 'Faster Diagnosis Standard missed two quarters running' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const programme = moved.json().programme;
    expect(programme).toMatchObject({ stage: 'under-review', permissions: { manage: true } });
    expect(programme.permissions.nextStages).toEqual(['in-delivery', 'closed']);
    expect(programme.history.at(-1)).toMatchObject({ changedBy: 'director <director@nhs.test>' });

    const reviewId = programme.reviews[0].id;
    const future = await app.inject({
      method: 'POST',
      url: `/api/programmes/cancer/reviews/${reviewId}/outcome`,
      headers: headers.director,
      payload: { heldOn: '2026-03-01', outcome: 'x', decision: 'continue' },
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.problems[0].field).toBe('heldOn');
    const held = await app.inject({
      method: 'POST',
      url: `/api/programmes/cancer/reviews/${reviewId}/outcome`,
      headers: headers.director,
      payload: {
        heldOn: '2026-02-09',
        outcome: 'Focus on lung and bowel pathways.',
        decision: 'change',
        nextReview: '2026-08-03',
      },
    });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json().programme.stage).toBe('in-delivery');
    // The review was brought forward: it is held, and the next is scheduled.
    expect(held.json().programme.reviews).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: reviewId, state: 'held', decision: 'change', heldOn: '2026-02-09' }),
        expect.objectContaining({ state: 'scheduled', scheduledFor: '2026-08-03' }),
      ]),
    );

    const milestone = await app.inject({
      method: 'POST',
      url: '/api/programmes/cancer/milestones',
      headers: headers.director,
      payload: { title: 'Lung pathway audit', due: '2026-02-01' },
    });
    expect(milestone.statusCode).toBe(200);
    const list = await app.inject({ url: '/api/programmes' });
    expect(
      list.json().programmes.find((p: { code: string }) => p.code === 'cancer').overdueMilestones,
    ).toEqual([{ title: 'Lung pathway audit', due: '2026-02-01' }]);
  });

  it("records contributions for the caller's own region or ICB only", async () => {
    const put = (who: string, org: string, payload: unknown) =>
      app.inject({
        method: 'PUT',
        url: `/api/programmes/digital/contributions/${org}`,
        headers: headers[who],
        payload: payload as Record<string, unknown>,
      });
    const body = { commitment: 'Shared care record live in every trust', status: 'at-risk' };
    expect((await put('icb', 'QKK', body)).statusCode).toBe(200);
    const otherRegion = await put('midlands', 'QKK', body);
    expect(otherRegion.statusCode).toBe(403);
    expect(otherRegion.json().error.message).toContain('QKK');
    expect((await put('midlands', 'Y60', { ...body, status: 'planned' })).statusCode).toBe(200);
    expect((await put('icb', 'QMF', body)).statusCode).toBe(403);
    const invalid = await put('london', 'QKK', { commitment: ' ', status: 'maybe' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.problems.map((p: { field: string }) => p.field)).toEqual([
      'commitment',
      'status',
    ]);
    const detail = await app.inject({ url: '/api/programmes/digital', headers: headers.london });
    expect(
      detail
        .json()
        .programme.contributions.map((c: { organisation: { odsCode: string }; status: string }) => [
          c.organisation.odsCode,
          c.status,
        ]),
    ).toEqual([
      ['QKK', 'at-risk'],
      ['Y60', 'planned'],
    ]);
  });
});
