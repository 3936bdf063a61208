import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.js';
import { systemActor } from '../../domain/audit.js';
import { openFeedFile } from '../../import/feed-files.js';
import { addFeed, listFeedRuns } from '../../services/feed.service.js';
import { createUser, grantRole } from '../../services/identity.service.js';
import { buildTestServer, signIn, testPassword as password } from '../../../test/api-session.js';
import { buildTrust } from '../../../test/factories.js';
import { createTestDatabase } from '../../../test/test-database.js';

const today = '2025-08-15';

describe('feeds over the API', () => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  let files: Server;
  let base = '';
  let trust = '';
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    trust = await buildTrust(handle.db, { parentCode: 'QKK', date: '2016-04-01' });
    files = createServer((request, response) => {
      if (request.url === '/rtt.csv')
        return void response
          .writeHead(200, { 'content-type': 'text/csv' })
          .end(`period,org_code,waits_over_18_weeks,waits_over_52_weeks\n2024-01-01,${trust},500,20\n`);
      response.writeHead(500).end('down for maintenance');
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    app = await buildTestServer(handle, today, { feeds: { handle, open: openFeedFile } });
    for (const [name, role, scope] of [
      ['director', 'national-director', undefined],
      ['regional', 'regional-director', 'Y56'],
    ] as const) {
      const account = await createUser(handle.db, systemActor, { email: `${name}@nhs.test`, name, password });
      await grantRole(handle.db, systemActor, { userId: account.id, role, scopeCode: scope }, today);
      headers[name] = await signIn(app, `${name}@nhs.test`);
    }
  });
  afterAll(async () => {
    await app?.close();
    files.closeAllConnections();
    await new Promise((resolve) => files?.close(resolve));
    await handle?.close();
  });

  const post = (url: string, payload?: object, who?: string) =>
    app.inject({
      method: 'POST',
      url,
      ...(payload ? { payload } : {}),
      headers: who ? (headers[who] ?? {}) : {},
    });
  const feedBody = (code: string, path: string) => ({
    code,
    name: `Feed ${code}`,
    source: 'rtt',
    url: `${base}${path}`,
    intervalHours: 24,
  });

  it('lets national directors add feeds, and refuses everyone else', async () => {
    expect((await post('/api/feeds', feedBody('rtt', '/rtt.csv'))).statusCode).toBe(401);
    const refused = await post('/api/feeds', feedBody('rtt', '/rtt.csv'), 'regional');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('You cannot configure the feeds');
    const bad = await post('/api/feeds', { ...feedBody('rtt', '/rtt.csv'), source: 'gp' }, 'director');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('source');
    const created = await post('/api/feeds', feedBody('rtt', '/rtt.csv'), 'director');
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().feed).toMatchObject({ code: 'rtt', source: 'rtt', enabled: true, lastRun: null });
    expect((await post('/api/feeds', feedBody('rtt', '/rtt.csv'), 'director')).statusCode).toBe(409);
    expect((await post('/api/feeds', feedBody('down', '/down.csv'), 'director')).statusCode).toBe(201);
    const list = (await app.inject({ url: '/api/feeds' })).json();
    expect(list.feeds.map((f: { code: string }) => f.code)).toEqual(['down', 'rtt']);
  });

  it('runs a feed for national directors only, and lists its runs', async () => {
    expect((await post('/api/feeds/rtt/run')).statusCode).toBe(401);
    expect((await post('/api/feeds/rtt/run', undefined, 'regional')).statusCode).toBe(403);
    expect(await listFeedRuns(handle.db, 'rtt')).toEqual([]);
    const run = await post('/api/feeds/rtt/run', undefined, 'director');
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().run).toMatchObject({
      feed: 'rtt',
      outcome: 'succeeded',
      rowsRead: 1,
      valuesInserted: 2,
      runBy: 'director <director@nhs.test>',
    });
    const again = (await post('/api/feeds/rtt/run', undefined, 'director')).json();
    expect(again.run.outcome).toBe('unchanged');
    const failed = await post('/api/feeds/down/run', undefined, 'director');
    expect(failed.statusCode).toBe(200);
    expect(failed.json().run).toMatchObject({ outcome: 'failed' });
    expect(failed.json().run.message).toContain('answered 500');
    const runs = (await app.inject({ url: '/api/feeds/rtt/runs?limit=1' })).json();
    expect(runs.runs.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged']);
    expect((await app.inject({ url: '/api/feeds/nope/runs' })).statusCode).toBe(404);
    expect((await post('/api/feeds/nope/run', undefined, 'director')).statusCode).toBe(404);
  });

  it('turns a schedule off and on for national directors', async () => {
    expect((await post('/api/feeds/down/disable', undefined, 'regional')).statusCode).toBe(403);
    const off = await post('/api/feeds/down/disable', undefined, 'director');
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().feed.enabled).toBe(false);
    expect((await post('/api/feeds/down/enable', undefined, 'director')).json().feed.enabled).toBe(true);
  });

  it('documents the feed routes in the OpenAPI description', async () => {
    const paths = Object.keys((await app.inject({ url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/feeds', '/api/feeds/{code}/run', '/api/feeds/{code}/runs']),
    );
  });
});

describe('the feed schedule in the server', () => {
  it('checks for due feeds while the server runs, and stops when it closes', async () => {
    const handle = await createTestDatabase('reference');
    const trust = await buildTrust(handle.db, { date: '2016-04-01' });
    const files = createServer((_request, response) =>
      response
        .writeHead(200, { 'content-type': 'text/csv' })
        .end(`period,org_code,waits_over_18_weeks,waits_over_52_weeks\n2024-02-01,${trust},400,10\n`),
    );
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/rtt.csv`;
    try {
      await addFeed(handle.db, systemActor, {
        code: 'rtt',
        name: 'RTT',
        source: 'rtt',
        url,
        intervalHours: 1,
      });
      const app = await buildTestServer(handle, today, {
        feeds: { handle, open: openFeedFile },
        feedPollSeconds: 1,
      });
      try {
        for (let waited = 0; waited < 10_000; waited += 100) {
          if ((await listFeedRuns(handle.db, 'rtt')).length > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await app.close();
      }
      const runs = await listFeedRuns(handle.db, 'rtt');
      expect(runs.map((r) => [r.outcome, r.runBy])).toEqual([['succeeded', 'Feed schedule']]);
    } finally {
      files.closeAllConnections();
      await new Promise((resolve) => files.close(resolve));
      await handle.close();
    }
  });
});
