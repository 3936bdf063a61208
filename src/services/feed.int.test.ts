import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { countCurrentObservations } from '../db/observation.repository.js';
import { systemActor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import type { FeedFileOpener } from '../domain/feed.js';
import { openFeedFile } from '../import/feed-files.js';
import { buildTrust } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import { listAuditEventsAsOperator } from './audit.service.js';
import {
  addFeed,
  getFeed,
  listFeedRuns,
  listFeeds,
  runDueFeeds,
  runFeed,
  setFeedEnabled,
} from './feed.service.js';
import { listImports } from './import-history.service.js';

const aeHeader =
  'period,org_code,total_attendances,attendances_over_4hours,total_emergency_admissions,emergency_admissions_over_4hours';

/** A small published-files server: each path answers as the test sets it. */
async function startFileServer(): Promise<{
  base: string;
  files: Map<string, { status: number; body: string } | 'hang' | { partial: string }>;
  close: () => Promise<void>;
}> {
  const files = new Map<string, { status: number; body: string } | 'hang' | { partial: string }>();
  const server: Server = createServer((request, response) => {
    const file = files.get(request.url ?? '');
    if (file === 'hang') return; // never answers: the fetch must time out
    if (!file) return void response.writeHead(404).end('not here');
    // Starts the file and stops part-way, keeping the connection open.
    if ('partial' in file)
      return void response.writeHead(200, { 'content-type': 'text/csv' }).write(file.partial);
    response.writeHead(file.status, { 'content-type': 'text/csv' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const counts = async (handle: DatabaseHandle) => ({
  observations: await countCurrentObservations(handle.db),
  imports: (await listImports(handle.db, 1000)).length,
});

describe('feeds: fetch, import and log each run', () => {
  let handle: DatabaseHandle;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  let trustA = '';
  let trustB = '';
  const opts = { open: openFeedFile, timeoutMs: 2_000 };

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    trustA = await buildTrust(handle.db, { date: '2016-04-01' });
    trustB = await buildTrust(handle.db, { date: '2016-04-01' });
    files = await startFileServer();
    files.files.set('/ae.csv', {
      status: 200,
      body: `${aeHeader}\n2024-01-01,${trustA},1000,100,200,10\n2024-01-01,${trustB},500,50,100,5\n`,
    });
  });
  afterAll(async () => {
    await files?.close();
    await handle?.close();
  });

  const add = (code: string, path: string, extra: object = {}) =>
    addFeed(handle.db, systemActor, {
      code,
      name: `Feed ${code}`,
      source: 'ae',
      url: `${files.base}${path}`,
      intervalHours: 24,
      ...extra,
    });

  it('adds a feed, due at once, and audits it', async () => {
    const now = new Date('2025-01-01T06:00:00Z');
    const feed = await addFeed(
      handle.db,
      systemActor,
      {
        code: 'ae-monthly',
        name: 'A&E monthly',
        source: 'ae',
        url: `${files.base}/ae.csv`,
        intervalHours: 24,
      },
      now,
    );
    expect(feed).toMatchObject({
      code: 'ae-monthly',
      kind: 'statistics',
      enabled: true,
      nextRunAt: now.toISOString(),
      lastRun: null,
    });
    await expect(add('ae-monthly', '/ae.csv')).rejects.toMatchObject({ code: 'conflict' });
    await expect(add('Bad Code', '/ae.csv')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(add('ftp-feed', '/ae.csv', { url: 'ftp://example.org/ae.csv' })).rejects.toThrow(/url/);
    const audit = await listAuditEventsAsOperator(handle.db, { recordType: 'feed', recordId: 'ae-monthly' });
    expect(audit.map((e) => e.action)).toEqual(['feed.create']);
  });

  it('runs a feed: the values are stored and the run logged with its counts', async () => {
    const before = await counts(handle);
    const run = await runFeed(handle, 'ae-monthly', systemActor, opts);
    expect(run).toMatchObject({
      feed: 'ae-monthly',
      outcome: 'succeeded',
      rowsRead: 2,
      valuesInserted: 8,
      valuesSuperseded: 0,
      quarantined: 0,
      problems: [],
      runBy: systemActor.label,
    });
    expect(run.importRunId).not.toBeNull();
    expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.message).toContain('8 new value(s)');
    const after = await counts(handle);
    expect(after.observations - before.observations).toBe(8);
    expect(after.imports - before.imports).toBe(1);
    expect((await listImports(handle.db, 1))[0]).toMatchObject({ url: `${files.base}/ae.csv` });
    expect((await getFeed(handle.db, 'ae-monthly')).lastRun).toMatchObject({ outcome: 'succeeded' });
  });

  it('logs an unchanged run when the file matches what is stored, and stores nothing', async () => {
    const before = await counts(handle);
    const run = await runFeed(handle, 'ae-monthly', systemActor, opts);
    expect(run).toMatchObject({ outcome: 'unchanged', rowsRead: 2, importRunId: null, valuesInserted: 0 });
    expect(run.message).toContain('Nothing changed');
    expect(await counts(handle)).toEqual(before);
  });

  it('stores a revised value as a new version', async () => {
    files.files.set('/ae.csv', {
      status: 200,
      body: `${aeHeader}\n2024-01-01,${trustA},1001,100,200,10\n2024-01-01,${trustB},500,50,100,5\n`,
    });
    const run = await runFeed(handle, 'ae-monthly', systemActor, opts);
    expect(run).toMatchObject({ outcome: 'succeeded', valuesInserted: 0, valuesSuperseded: 1 });
  });

  it('logs a failed run with the server’s answer when the server fails, and stores nothing', async () => {
    files.files.set('/broken.csv', { status: 500, body: 'Internal Server Error' });
    await add('broken', '/broken.csv');
    const before = await counts(handle);
    const run = await runFeed(handle, 'broken', systemActor, opts);
    expect(run).toMatchObject({ outcome: 'failed', importRunId: null, sha256: null, rowsRead: null });
    expect(run.message).toContain('answered 500');
    expect(await counts(handle)).toEqual(before);
  });

  it('logs a failed run with the row and column when the file is malformed, and stores nothing', async () => {
    files.files.set('/bad.csv', {
      status: 200,
      body: `${aeHeader}\n2024-02-01,${trustA},1000,100,200,10\n2024-02-01,${trustB},many,50,100,5\n`,
    });
    await add('bad-file', '/bad.csv');
    const before = await counts(handle);
    const run = await runFeed(handle, 'bad-file', systemActor, opts);
    expect(run.outcome).toBe('failed');
    expect(run.message).toContain('bad.csv, row 3, column total_attendances: Cell "many" is not a number.');
    expect(run.problems[0]).toMatchObject({ file: 'bad.csv', row: 3, column: 'total_attendances' });
    expect(await counts(handle)).toEqual(before);

    files.files.set('/beds.csv', { status: 200, body: 'period,org_code,beds\n2024-01-01,RXX,1\n' });
    await add('wrong-layout', '/beds.csv');
    const wrong = await runFeed(handle, 'wrong-layout', systemActor, opts);
    expect(wrong.outcome).toBe('failed');
    expect(wrong.message).toContain('beds.csv is not a ae statistics file');
    expect(wrong.problems[0]).toMatchObject({ file: 'beds.csv', row: 1 });
    expect(await counts(handle)).toEqual(before);
  });

  it('logs a failed run when the server does not answer in time', async () => {
    files.files.set('/slow.csv', 'hang');
    await add('slow', '/slow.csv');
    const run = await runFeed(handle, 'slow', systemActor, { open: openFeedFile, timeoutMs: 300 });
    expect(run.outcome).toBe('failed');
    expect(run.message).toMatch(/Could not fetch .*slow\.csv/);

    files.files.set('/stalled.csv', { partial: `${aeHeader}\n2024-03-01,${trustA},1000,100,200,10\n` });
    await add('stalled', '/stalled.csv');
    const before = await counts(handle);
    const stalled = await runFeed(handle, 'stalled', systemActor, { open: openFeedFile, timeoutMs: 300 });
    expect(stalled.outcome).toBe('failed');
    expect(stalled.message).toContain('stopped part-way; nothing was imported.');
    expect(stalled.message).toContain('it took longer than 300 ms');
    expect(await counts(handle)).toEqual(before);
  });

  it('lists feeds with their latest outcome and each feed’s runs, newest first; runs are append-only', async () => {
    const list = await listFeeds(handle.db);
    expect(list.map((f) => [f.code, f.lastRun?.outcome])).toEqual([
      ['ae-monthly', 'succeeded'],
      ['bad-file', 'failed'],
      ['broken', 'failed'],
      ['slow', 'failed'],
      ['stalled', 'failed'],
      ['wrong-layout', 'failed'],
    ]);
    const runs = await listFeedRuns(handle.db, 'ae-monthly');
    expect(runs.map((r) => r.outcome)).toEqual(['succeeded', 'unchanged', 'succeeded']);
    await expect(listFeedRuns(handle.db, 'nope')).rejects.toMatchObject({ code: 'not-found' });
    await expect(sql`update feed_run set outcome = 'succeeded'`.execute(handle.db)).rejects.toThrow();
    await expect(sql`delete from feed_run`.execute(handle.db)).rejects.toThrow();
  });

  it('refuses a second run of a feed while one holds it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowOpen: FeedFileOpener = async (request) => {
      await gate;
      return openFeedFile(request);
    };
    const first = runFeed(handle, 'ae-monthly', systemActor, { open: slowOpen });
    // Let the first run claim the feed before the second asks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = runFeed(handle, 'ae-monthly', systemActor, opts);
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(second).rejects.toMatchObject({ code: 'conflict' });
    expect((await getFeed(handle.db, 'ae-monthly')).running).toBe(true);
    release();
    expect((await first).outcome).toBe('unchanged');
    expect((await getFeed(handle.db, 'ae-monthly')).running).toBe(false);
  });
});

describe('feeds: the schedule', () => {
  let handle: DatabaseHandle;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  let trust = '';

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    trust = await buildTrust(handle.db, { date: '2016-04-01' });
    files = await startFileServer();
    for (const month of ['01', '02', '03'])
      files.files.set(`/ae-${month}.csv`, {
        status: 200,
        body: `${aeHeader}\n2024-${month}-01,${trust},1000,100,200,10\n`,
      });
  });
  afterAll(async () => {
    await files?.close();
    await handle?.close();
  });

  it('runs each due feed once when two schedulers check at the same moment, and moves the next run on', async () => {
    const created = new Date('2025-03-01T06:00:00Z');
    for (const month of ['01', '02', '03'])
      await addFeed(
        handle.db,
        systemActor,
        {
          code: `ae-${month}`,
          name: `A&E ${month}`,
          source: 'ae',
          url: `${files.base}/ae-${month}.csv`,
          intervalHours: 24,
        },
        created,
      );
    await addFeed(
      handle.db,
      systemActor,
      {
        code: 'later',
        name: 'Later',
        source: 'ae',
        url: `${files.base}/ae-01.csv`,
        intervalHours: 24,
        firstRunAt: '2030-01-01T00:00:00Z',
      },
      created,
    );
    await addFeed(
      handle.db,
      systemActor,
      {
        code: 'off',
        name: 'Off',
        source: 'ae',
        url: `${files.base}/ae-01.csv`,
        intervalHours: 24,
        enabled: false,
      },
      created,
    );
    // Three days and an hour later: the 06:00 runs of the 2nd, 3rd and 4th were missed; the next is the 5th.
    const now = new Date('2025-03-04T07:00:00Z');
    const options = { open: openFeedFile, timeoutMs: 2_000 };
    const [a, b] = await Promise.all([runDueFeeds(handle, now, options), runDueFeeds(handle, now, options)]);
    const ran = [...a, ...b].map((r) => r.feed).sort();
    expect(ran).toEqual(['ae-01', 'ae-02', 'ae-03']);
    expect([...a, ...b].every((r) => r.outcome === 'succeeded' && r.runBy === 'Feed schedule')).toBe(true);
    for (const code of ['ae-01', 'ae-02', 'ae-03']) {
      expect(await listFeedRuns(handle.db, code)).toHaveLength(1);
      expect((await getFeed(handle.db, code)).nextRunAt).toBe('2025-03-05T06:00:00.000Z');
    }
    // Nothing is due again until then; a disabled feed and one not yet due are never claimed.
    expect(await runDueFeeds(handle, now, options)).toEqual([]);
    expect(await runDueFeeds(handle, new Date('2025-03-05T05:59:59Z'), options)).toEqual([]);
    expect(await listFeedRuns(handle.db, 'off')).toEqual([]);
    expect(await listFeedRuns(handle.db, 'later')).toEqual([]);
    // Enabled again, the feed is due at its old time and runs at the next check.
    await setFeedEnabled(handle.db, systemActor, 'off', true);
    const next = await runDueFeeds(handle, new Date('2025-03-05T06:00:00Z'), options);
    expect(next.map((r) => [r.feed, r.outcome]).sort()).toEqual([
      ['ae-01', 'unchanged'],
      ['ae-02', 'unchanged'],
      ['ae-03', 'unchanged'],
      ['off', 'unchanged'],
    ]);
  });

  it('does not run a feed a crashed run still holds, and runs it again once the lease has run out', async () => {
    // A process claimed the feed and died: its next run was moved on and the lease is still held.
    await addFeed(
      handle.db,
      systemActor,
      { code: 'crashed', name: 'Crashed', source: 'ae', url: `${files.base}/ae-01.csv`, intervalHours: 1 },
      new Date('2025-03-05T06:00:00Z'),
    );
    await sql`update feed set running_until = '2025-03-05T08:00:00Z', next_run_at = '2025-03-05T07:00:00Z' where code = 'crashed'`.execute(
      handle.db,
    );
    const options = { open: openFeedFile, timeoutMs: 2_000 };
    expect(await runDueFeeds(handle, new Date('2025-03-05T07:30:00Z'), options)).toEqual([]);
    const after = await runDueFeeds(handle, new Date('2025-03-05T08:00:00Z'), options);
    expect(after.map((r) => r.feed)).toEqual(['crashed']);
  });
});
