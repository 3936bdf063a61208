import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type { AidMatchingView, AidRequestView } from '../services/mutual-aid.service.js';

/** Mutual aid from the command line: raise, offer, rank, propose, agree each side, the board and the record. */
describe('oversight aid', () => {
  let cli: CliEnvironment;
  const as = (who: string) => ['--as', `${who}@nhs.test`];
  const from = new Date().toISOString().slice(0, 10);
  const to = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    cli = await cliEnvironment();
    const steps: string[][] = [['db', 'migrate']];
    const trusts: Array<[string, string, string]> = [
      ['TCA01', 'QKK', 'SE1 7EH'],
      ['TCA02', 'QKK', 'BR6 8ND'],
      ['TCA03', 'QOP', 'M13 9WL'],
    ];
    for (const [code, parent, postcode] of trusts)
      steps.push([
        'orgs',
        'open',
        code,
        '--name',
        `CLI ${code} NHS Trust`,
        '--kind',
        'nhs-trust',
        '--sector',
        'acute',
        '--parent',
        parent,
        '--postcode',
        postcode,
        '--date',
        '2020-01-01',
        '--reason',
        'Test',
      ]);
    const people: Array<[string, string, string]> = [
      ['alpha', 'trust-board-member', 'TCA01'],
      ['beta', 'trust-board-member', 'TCA02'],
      ['north', 'regional-team', 'Y62'],
    ];
    for (const [name, role, scope] of people)
      steps.push(
        ['users', 'create', '--email', `${name}@nhs.test`, '--name', name],
        ['users', 'grant', `${name}@nhs.test`, '--role', role, '--scope', scope],
      );
    for (const args of steps) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  }, 600_000);
  afterAll(async () => cli?.close());

  it('raises a request, ranks and proposes a trust in the same ICB, and both sides agree', async () => {
    const raise = [
      'aid',
      'request',
      '--requester',
      'TCA01',
      '--kind',
      'beds',
      '--unit',
      'beds',
      '--from',
      from,
      '--to',
      to,
      '--reason',
      'Surge',
    ];
    const bad = await cli.json<{
      error: { code: string; problems: Array<{ field: string; message: string }> };
    }>(...raise, '--detail', 'mri', '--quantity', '3', ...as('alpha'));
    expect(bad.code).toBe(2);
    expect(bad.body.error.problems).toEqual([
      expect.objectContaining({ field: 'detail', message: expect.stringContaining('adult-critical-care') }),
    ]);

    const raised = await cli.json<{ request: AidRequestView }>(
      ...raise,
      '--detail',
      'adult-critical-care',
      '--quantity',
      '3',
      ...as('alpha'),
    );
    expect(raised.code, raised.stderr).toBe(0);
    const id = String(raised.body.request.id);
    const offered = await cli.run(
      'aid',
      'offer',
      '--provider',
      'TCA03',
      '--kind',
      'beds',
      '--detail',
      'adult-critical-care',
      '--unit',
      'beds',
      '--quantity',
      '2',
      '--from',
      from,
      '--to',
      to,
      ...as('north'),
    );
    expect(offered.code, offered.stderr).toBe(0);

    const matches = await cli.json<AidMatchingView>('aid', 'matches', id, ...as('alpha'));
    expect(matches.body.matching.offers.map((c) => [c.organisation.odsCode, c.tier])).toEqual([
      ['TCA03', 'national'],
    ]);
    expect(matches.body.matching.organisations.map((c) => [c.organisation.odsCode, c.tier])).toEqual([
      ['TCA02', 'icb'],
    ]);
    const table = await cli.run('aid', 'matches', id, ...as('alpha'));
    expect(table.stdout).toContain('Same ICB');
    expect(table.stdout).toContain(' km');

    const proposed = await cli.json<{ request: AidRequestView }>(
      'aid',
      'propose',
      id,
      '--provider',
      'TCA02',
      '--quantity',
      '3',
      ...as('alpha'),
    );
    expect(proposed.body.request.status).toBe('matched');
    const matchId = String(proposed.body.request.matches[0]?.id);
    // Beta's board cannot agree for Alpha.
    const refused = await cli.run('aid', 'agree', matchId, '--for', 'TCA01', ...as('beta'));
    expect(refused.code).toBe(8);
    expect(refused.stderr).toContain('cannot agree this mutual aid');
    expect((await cli.run('aid', 'agree', matchId, '--for', 'TCA01', ...as('alpha'))).code).toBe(0);
    const agreed = await cli.json<{ request: AidRequestView }>(
      'aid',
      'agree',
      matchId,
      '--for',
      'TCA02',
      ...as('beta'),
    );
    expect(agreed.body.request.status).toBe('agreed');

    // The North West's team sees neither the request nor London's board.
    expect((await cli.run('aid', 'show', id, ...as('north'))).code).toBe(4);
    const board = await cli.run('aid', 'board', 'Y56', ...as('beta'));
    expect(board.code, board.stderr).toBe(0);
    expect(board.stdout).toContain('Agreed');
    const start = await cli.run('aid', 'start', id, ...as('beta'));
    expect(start.code, start.stderr).toBe(0);
    expect((await cli.run('aid', 'deliver', matchId, '--quantity', '3', ...as('beta'))).code).toBe(0);
    expect((await cli.run('aid', 'complete', id, ...as('alpha'))).code).toBe(0);
    const record = await cli.json<{ record: { totals: { deliveredGiven: Record<string, number> } } }>(
      'aid',
      'record',
      'TCA02',
      ...as('beta'),
    );
    expect(record.body.record.totals.deliveredGiven).toEqual({ beds: 3 });
  }, 600_000);
});
