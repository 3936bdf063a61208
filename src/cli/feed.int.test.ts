import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { FeedRunView, FeedView } from '../services/feed.service.js';

describe('oversight feeds', () => {
  let cli: CliEnvironment;
  let files: Server;
  let base = '';

  beforeAll(async () => {
    files = createServer((request, response) => {
      if (request.url === '/rtt.csv')
        return void response
          .writeHead(200, { 'content-type': 'text/csv' })
          .end('period,org_code,waits_over_18_weeks,waits_over_52_weeks\n2024-01-01,ZZ901,500,20\n');
      response.writeHead(503).end('try later');
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    cli = await cliEnvironment();
    expect((await cli.run('db', 'migrate')).code).toBe(0);
  });
  afterAll(async () => {
    files.closeAllConnections();
    await new Promise((resolve) => files?.close(resolve));
    await cli?.close();
  });

  it('adds and lists feeds', async () => {
    const added = await cli.json<{ feed: FeedView }>(
      'feeds',
      'add',
      'rtt-monthly',
      '--name',
      'RTT monthly',
      '--source',
      'rtt',
      '--url',
      `${base}/rtt.csv`,
      '--every-hours',
      '24',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.body.feed).toMatchObject({
      code: 'rtt-monthly',
      source: 'rtt',
      intervalHours: 24,
      enabled: true,
    });
    const down = await cli.run(
      'feeds',
      'add',
      'down',
      '--name',
      'Down',
      '--source',
      'ae',
      '--url',
      `${base}/down.csv`,
      '--every-hours',
      '6',
      '--disabled',
    );
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('Down (down): disabled');
    const badSource = await cli.run(
      'feeds',
      'add',
      'x1',
      '--name',
      'X',
      '--source',
      'gp',
      '--url',
      base,
      '--every-hours',
      '1',
    );
    expect(badSource.code).toBe(2);
    expect(badSource.stderr).toContain('"gp" is not a statistics source');

    const list = await cli.json<{ feeds: FeedView[] }>('feeds', 'list');
    expect(list.body.feeds.map((f) => [f.code, f.enabled])).toEqual([
      ['down', false],
      ['rtt-monthly', true],
    ]);
    const table = await cli.run('feeds', 'list');
    expect(table.stdout).toMatch(/rtt-monthly\s+rtt\s+24 h\s+yes/);
  });

  it('runs a feed now and logs each run, exiting 3 when the run failed', async () => {
    const run = await cli.json<{ run: FeedRunView }>('feeds', 'run', 'rtt-monthly');
    expect(run.code, run.stderr).toBe(0);
    // The code is not an organisation here: its values are held in quarantine.
    expect(run.body.run).toMatchObject({ outcome: 'succeeded', rowsRead: 1, quarantined: 2 });
    expect(run.body.run.runBy).toMatch(/^Command line/);
    const again = await cli.run('feeds', 'run', 'rtt-monthly');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('unchanged');
    const failed = await cli.json<{ run: FeedRunView }>('feeds', 'run', 'down');
    expect(failed.code).toBe(3);
    expect(failed.body.run.outcome).toBe('failed');
    expect(failed.body.run.message).toContain('answered 503');

    const runs = await cli.json<{ runs: FeedRunView[] }>('feeds', 'runs', 'rtt-monthly');
    expect(runs.body.runs.map((r) => r.outcome)).toEqual(['unchanged', 'succeeded']);
    const missing = await cli.json('feeds', 'runs', 'nope');
    expect(missing.code).toBe(4);
    const enabled = await cli.json<{ feed: FeedView }>('feeds', 'enable', 'down');
    expect(enabled.body.feed).toMatchObject({ enabled: true, lastRun: { outcome: 'failed' } });
  });
});
