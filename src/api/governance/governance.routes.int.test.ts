import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { createTestDatabase } from '../../../test/test-database.js';

/** The governance API: record a meeting's decision and actions, who may, and what the public sees. */

const today = '2025-03-10';

describe('governance over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const db = handle.db;
    app = await buildTestServer(handle, today);
    for (const [name, role, scope] of [
      ['national', 'national-director', null],
      ['london', 'regional-director', 'Y56'],
      ['midlands', 'regional-director', 'Y60'],
    ] as const) {
      const account = await createUser(db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(
        db,
        systemActor,
        { userId: account.id, role, ...(scope ? { scopeCode: scope } : {}) },
        today,
      );
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it('records a meeting, a decision linked to a programme and an action; the public sees it once published', async () => {
    const meeting = await app.inject({
      method: 'POST',
      url: '/api/governance/bodies/nhs-executive-group/meetings',
      headers: headers.national,
      payload: { meetsOn: '2025-03-03', title: 'Executive Group, March 2025', location: 'virtual' },
    });
    expect(meeting.statusCode, meeting.body).toBe(200);
    const meetingId = meeting.json().meeting.id as number;
    expect(meeting.json().meeting.status).toBe('held');

    const decision = await app.inject({
      method: 'POST',
      url: `/api/governance/meetings/${meetingId}/decisions`,
      headers: headers.national,
      payload: { text: 'Adopt the cancer recovery trajectory', programme: 'cancer' },
    });
    expect(decision.statusCode, decision.body).toBe(200);
    const decisionId = decision.json().decision.id as number;
    expect(decision.json().decision.programme.code).toBe('cancer');
    const action = await app.inject({
      method: 'POST',
      url: `/api/governance/decisions/${decisionId}/actions`,
      headers: headers.national,
      payload: {
        description: 'Send trajectories to regions',
        owner: 'Demo Director of Cancer',
        dueOn: '2025-03-07',
      },
    });
    expect(action.statusCode, action.body).toBe(200);
    expect(action.json().action).toMatchObject({ state: 'overdue', daysOverdue: 3 });

    const url = `/api/governance/bodies/nhs-executive-group/meetings/${meetingId}`;
    const publicView = await app.inject({ method: 'GET', url });
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json()).toMatchObject({ decisions: [], canGovern: false, choices: null });
    expect(
      (await app.inject({ method: 'GET', url: '/api/governance/actions/overdue' })).json().actions,
    ).toEqual([]);

    const directorView = await app.inject({ method: 'GET', url, headers: headers.national });
    expect(directorView.json().canGovern).toBe(true);
    expect(directorView.json().decisions[0].actions[0].owner).toBe('Demo Director of Cancer');

    const published = await app.inject({
      method: 'POST',
      url: `/api/governance/decisions/${decisionId}/publish`,
      headers: headers.national,
    });
    expect(published.statusCode, published.body).toBe(200);
    const after = (await app.inject({ method: 'GET', url })).json();
    expect(after.decisions.map((d: { text: string }) => d.text)).toEqual([
      'Adopt the cancer recovery trajectory',
    ]);
    const bodies = (await app.inject({ method: 'GET', url: '/api/governance/bodies' })).json();
    expect(bodies.overdueActions).toBe(1);
    const overdue = (
      await app.inject({ method: 'GET', url: '/api/governance/actions/overdue?body=nhs-executive-group' })
    ).json();
    expect(overdue.actions[0]).toMatchObject({
      owner: 'Demo Director of Cancer',
      body: { code: 'nhs-executive-group' },
    });
  });

  it('refuses another region’s director, the public, and says which field is wrong', async () => {
    const meeting = await app.inject({
      method: 'POST',
      url: '/api/governance/bodies/london-regional-board/meetings',
      headers: headers.london,
      payload: { meetsOn: '2025-03-04', title: 'London board', location: 'Wellington House' },
    });
    expect(meeting.statusCode, meeting.body).toBe(200);
    const id = meeting.json().meeting.id as number;
    const other = await app.inject({
      method: 'POST',
      url: `/api/governance/meetings/${id}/decisions`,
      headers: headers.midlands,
      payload: { text: 'Not ours' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toContain('London regional board');
    const anonymous = await app.inject({
      method: 'POST',
      url: `/api/governance/meetings/${id}/decisions`,
      payload: { text: 'Anonymous' },
    });
    expect(anonymous.statusCode).toBe(401);
    const bad = await app.inject({
      method: 'POST',
      url: `/api/governance/meetings/${id}/decisions`,
      headers: headers.london,
      payload: { text: 'Link to nothing', programme: 'no-such-programme' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems).toEqual([
      { field: 'programme', message: expect.stringContaining('There is no programme "no-such-programme"') },
    ]);
    const badDate = await app.inject({
      method: 'POST',
      url: `/api/governance/bodies/london-regional-board/members`,
      headers: headers.london,
      payload: {
        personName: 'Demo Member',
        position: 'member',
        represents: { sector: 'patient' },
        validFrom: '2025-13-01',
      },
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.problems[0].field).toBe('validFrom');
    const body = (
      await app.inject({
        method: 'GET',
        url: '/api/governance/bodies/london-regional-board',
        headers: headers.midlands,
      })
    ).json();
    expect(body.body.canGovern).toBe(false);
    expect(body.body.meetings[0]).toMatchObject({ id, decisions: 0 });
  });

  it('documents every governance route in OpenAPI', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const operations = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/governance'))
      .flatMap(([, methods]) => Object.keys(methods));
    expect(operations.filter((m) => m === 'get')).toHaveLength(4);
    expect(operations.filter((m) => m === 'post')).toHaveLength(10);
  });
});
