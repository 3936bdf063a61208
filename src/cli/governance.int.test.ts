import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, type CliEnvironment } from '../../test/cli-runner.js';
import type {
  BodySummaryView,
  BodyView,
  MeetingView,
  OverdueActionView,
} from '../services/governance.service.js';

/** The governance bodies from the command line: a meeting, a decision with an action, who may, --json. */
describe('oversight governance', () => {
  let cli: CliEnvironment;

  beforeAll(async () => {
    cli = await cliEnvironment();
    for (const args of [
      ['db', 'migrate'],
      ['users', 'create', '--email', 'director@nhs.test', '--name', 'Director'],
      ['users', 'grant', 'director@nhs.test', '--role', 'national-director'],
      ['users', 'create', '--email', 'midlands@nhs.test', '--name', 'Midlands'],
      ['users', 'grant', 'midlands@nhs.test', '--role', 'regional-director', '--scope', 'Y60'],
    ]) {
      const result = await cli.run(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });
  afterAll(async () => cli?.close());

  it('lists the bodies and keeps their members', async () => {
    const bodies = await cli.json<{ bodies: BodySummaryView[] }>('governance', 'bodies');
    expect(bodies.code, bodies.stderr).toBe(0);
    expect(bodies.body.bodies).toHaveLength(9);

    const member = await cli.run(
      'governance',
      'member',
      'nhs-assembly',
      '--name',
      'Demo Patient Voice',
      '--sector',
      'patient',
      '--from',
      '2024-04-01',
      '--as',
      'director@nhs.test',
    );
    expect(member.code, member.stderr).toBe(0);
    const bad = await cli.run(
      'governance',
      'member',
      'nhs-assembly',
      '--name',
      'Nobody',
      '--sector',
      'pharma',
      '--from',
      '2024-04-01',
      '--as',
      'director@nhs.test',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('"pharma" is not a sector');
    const show = await cli.json<{ body: BodyView }>('governance', 'show', 'nhs-assembly');
    expect(show.body.body.members.map((m) => m.personName)).toEqual(['Demo Patient Voice']);
  });

  let id = '';
  let decisionId = '';

  it('records a meeting, a decision linked to a programme and an action, refusing another region', async () => {
    const meeting = await cli.json<{ meeting: { id: number; status: string } }>(
      'governance',
      'schedule',
      'nhs-executive-group',
      '--date',
      '2024-05-01',
      '--title',
      'Executive Group, May 2024',
      '--as',
      'director@nhs.test',
    );
    expect(meeting.code, meeting.stderr).toBe(0);
    expect(meeting.body.meeting.status).toBe('held');
    id = String(meeting.body.meeting.id);

    const refused = await cli.run(
      'governance',
      'decide',
      id,
      '--text',
      'Not mine',
      '--as',
      'midlands@nhs.test',
    );
    expect(refused.code).toBe(8);
    expect(refused.stderr).toContain('You cannot govern');

    const decision = await cli.json<{ decision: { id: number } }>(
      'governance',
      'decide',
      id,
      '--text',
      'Adopt the cancer trajectory',
      '--programme',
      'cancer',
      '--as',
      'director@nhs.test',
    );
    expect(decision.code, decision.stderr).toBe(0);
    decisionId = String(decision.body.decision.id);
    const action = await cli.run(
      'governance',
      'action',
      decisionId,
      '--description',
      'Send to regions',
      '--owner',
      'Demo Owner',
      '--due',
      '2024-06-01',
      '--as',
      'director@nhs.test',
    );
    expect(action.code, action.stderr).toBe(0);

    // Without --as the operator reads everything.
    const view = await cli.json<MeetingView>('governance', 'meeting', 'nhs-executive-group', id);
    expect(view.body.decisions[0]).toMatchObject({ published: false, programme: { code: 'cancer' } });
    const text = await cli.run('governance', 'meeting', 'nhs-executive-group', id);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Decision');
    expect(text.stdout).toContain('[programme cancer]');
    expect(text.stdout).toContain('owner Demo Owner');
  });

  it('hides the unpublished decision from a role that does not cover England until it is published', async () => {
    // Not published: the Midlands director (whose role covers the region, not England) cannot see it.
    const hidden = await cli.json<MeetingView>(
      'governance',
      'meeting',
      'nhs-executive-group',
      id,
      '--as',
      'midlands@nhs.test',
    );
    expect(hidden.code, hidden.stderr).toBe(0);
    expect(hidden.body.decisions).toEqual([]);
    const overdueHidden = await cli.json<{ actions: OverdueActionView[] }>(
      'governance',
      'overdue',
      '--as',
      'midlands@nhs.test',
    );
    expect(overdueHidden.body.actions).toEqual([]);

    expect(
      (await cli.run('governance', 'publish', 'decision', decisionId, '--as', 'director@nhs.test')).code,
    ).toBe(0);
    const overdue = await cli.json<{ actions: OverdueActionView[] }>(
      'governance',
      'overdue',
      '--as',
      'midlands@nhs.test',
    );
    expect(overdue.body.actions.map((a) => a.owner)).toEqual(['Demo Owner']);
    const again = await cli.json<{ error: { code: string } }>(
      'governance',
      'publish',
      'decision',
      decisionId,
      '--as',
      'director@nhs.test',
    );
    expect(again.code).toBe(5);
    expect(again.body.error.code).toBe('conflict');
  });
});
