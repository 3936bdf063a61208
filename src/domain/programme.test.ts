import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  compareWithTrajectory,
  isMilestoneOverdue,
  linkedMetricSchema,
  moveStage,
  programmeInputSchema,
  reviewMove,
  stageAfterReview,
  trajectoryAt,
} from './programme.js';
import { seedProgrammes } from './programme-seeds.js';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the programme lifecycle', () => {
  it('follows proposed → established → in delivery → under review → in delivery → under review → closed', () => {
    const path = [
      ['proposed', 'established'],
      ['established', 'in-delivery'],
      ['in-delivery', 'under-review'],
      ['under-review', 'in-delivery'],
      ['in-delivery', 'under-review'],
      ['under-review', 'closed'],
    ] as const;
    for (const [from, to] of path)
      expect(moveStage(from, to, '  Agreed by the Executive Group  ')).toEqual({
        from,
        to,
        reason: 'Agreed by the Executive Group',
      });
  });

  it('lets a proposal that is not taken forward close', () => {
    expect(moveStage('proposed', 'closed', 'Not taken forward').to).toBe('closed');
  });

  it('refuses a jump with the moves it allows and what to do', () => {
    const error = refusal(() => moveStage('proposed', 'in-delivery', 'Start now'));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      'A programme that is proposed can move only to established or closed, not to in delivery. Establish it first.',
    );
    const closing = refusal(() => moveStage('in-delivery', 'closed', 'Done'));
    expect(closing.message).toBe(
      'A programme that is in delivery can move only to under review, not to closed. Review it first: a review decides whether it closes.',
    );
  });

  it('keeps closed final and refuses a move to the same stage', () => {
    expect(refusal(() => moveStage('closed', 'proposed', 'Revive')).message).toContain(
      'closed programme cannot move',
    );
    expect(refusal(() => moveStage('established', 'established', 'Again')).message).toBe(
      'The programme is already established.',
    );
  });

  it('needs a reason for every move, located on the reason field', () => {
    for (const reason of [undefined, null, '', '   ']) {
      const error = refusal(() => moveStage('proposed', 'established', reason));
      expect(error.code).toBe('invalid-input');
      expect(error.problems).toEqual([
        { field: 'reason', message: expect.stringContaining('Enter the reason') },
      ]);
    }
  });

  it("moves by a held review's decision, only from under review", () => {
    expect(stageAfterReview('continue')).toBe('in-delivery');
    expect(stageAfterReview('change')).toBe('in-delivery');
    expect(stageAfterReview('close')).toBe('closed');
    expect(reviewMove('under-review', 'change', '2026-03-01', 'Narrow the scope to lung cancer')).toEqual({
      from: 'under-review',
      to: 'in-delivery',
      reason: 'Continue with changes (review held on 2026-03-01): Narrow the scope to lung cancer',
    });
    expect(refusal(() => reviewMove('in-delivery', 'continue', '2026-03-01', 'Fine')).message).toBe(
      "The programme is in delivery. Move it to under review (with the reason) before recording the review's outcome.",
    );
  });
});

describe('trajectories', () => {
  const uec = linkedMetricSchema.parse({
    metric: 'ae_4h_all',
    trajectory: [
      { month: '2026-03', value: 82 },
      { month: '2025-03-31', value: 78 },
    ],
  }).trajectory;

  it('keeps points as month starts, in order', () => {
    expect(uec).toEqual([
      { month: '2025-03-01', value: 78 },
      { month: '2026-03-01', value: 82 },
    ]);
  });

  it('has no value before its first point, runs straight between points and holds after the last', () => {
    expect(trajectoryAt(uec, '2025-02-01')).toBeNull();
    expect(trajectoryAt(uec, '2025-03-01')).toBe(78);
    expect(trajectoryAt(uec, '2025-09-01')).toBe(80);
    expect(trajectoryAt(uec, '2025-12-01')).toBe(81);
    expect(trajectoryAt(uec, '2026-03-01')).toBe(82);
    expect(trajectoryAt(uec, '2026-10-01')).toBe(82);
    expect(trajectoryAt([], '2026-10-01')).toBeNull();
  });

  it('compares a latest value by the metric direction', () => {
    expect(compareWithTrajectory({ month: '2025-09-01', value: 76.5 }, uec, 'higher-is-better')).toEqual({
      month: '2025-09-01',
      value: 76.5,
      trajectory: 80,
      gap: -3.5,
      standing: 'misses',
    });
    expect(compareWithTrajectory({ month: '2026-06-01', value: 83 }, uec, 'higher-is-better').standing).toBe(
      'meets',
    );
    expect(compareWithTrajectory({ month: '2026-06-01', value: 83 }, uec, 'lower-is-better').standing).toBe(
      'misses',
    );
    expect(compareWithTrajectory({ month: '2026-06-01', value: 83 }, uec, 'neutral').standing).toBe(
      'no-direction',
    );
    expect(compareWithTrajectory({ month: '2024-06-01', value: 70 }, uec, 'higher-is-better')).toMatchObject({
      trajectory: null,
      standing: 'no-trajectory',
    });
    expect(compareWithTrajectory(null, uec, 'higher-is-better').standing).toBe('no-data');
  });

  it('refuses the same month twice and an unreadable month, located', () => {
    const parsed = linkedMetricSchema.safeParse({
      metric: 'ae_4h_all',
      trajectory: [
        { month: '2025-03', value: 78 },
        { month: '2025-03-15', value: 79 },
        { month: 'March 2026', value: 82 },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['trajectory.2.month', 'Enter the month as YYYY-MM, like 2026-03'],
      ['trajectory.1.month', '2025-03 appears twice in the trajectory: give one value per month'],
    ]);
    const twice = linkedMetricSchema.safeParse({
      metric: 'ae_4h_all',
      trajectory: [
        { month: '2025-03', value: 78 },
        { month: '2025-03-15', value: 79 },
      ],
    });
    expect(twice.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['trajectory.1.month', '2025-03 appears twice in the trajectory: give one value per month'],
    ]);
  });
});

describe('programme input', () => {
  it('asks for a role title, not a person, as national director', () => {
    const parsed = programmeInputSchema.safeParse({
      code: 'stroke',
      name: 'Stroke',
      sponsor: 'NHS Executive Group',
      nationalDirector: 'jo.bloggs@nhs.net',
      scope: 'Stroke services',
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['nationalDirector']);
  });

  it('says which fields are missing', () => {
    const parsed = programmeInputSchema.safeParse({ code: 'Bad Code!' });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'code',
      'name',
      'sponsor',
      'nationalDirector',
      'scope',
    ]);
  });
});

describe('milestones', () => {
  it('are overdue only when open past their due date', () => {
    expect(isMilestoneOverdue({ due: '2026-01-31', completedOn: null }, '2026-02-01')).toBe(true);
    expect(isMilestoneOverdue({ due: '2026-01-31', completedOn: null }, '2026-01-31')).toBe(false);
    expect(isMilestoneOverdue({ due: '2026-01-31', completedOn: '2026-02-10' }, '2026-03-01')).toBe(false);
  });
});

describe('seeded programmes', () => {
  it('are the four the seeds name, valid, with nothing due before the day they are recorded', () => {
    const seeds = seedProgrammes('2026-11-23');
    expect(seeds.map((s) => s.programme.code)).toEqual([
      'cancer',
      'mental-health',
      'digital',
      'urgent-emergency-care',
    ]);
    for (const seed of seeds) {
      expect(programmeInputSchema.safeParse(seed.programme).success).toBe(true);
      expect(seed.programme.sponsor).toBe('NHS Executive Group');
      for (const m of seed.milestones) expect(m.due >= '2026-11-23').toBe(true);
      expect(seed.reviewOn).toBe('2027-02-01');
    }
    const uec = seeds[3]?.milestones.map((m) => m.title);
    expect(uec).toEqual([
      "Regions assure every ICB's winter plan for winter 2027/28",
      'Lessons from winter 2026/27 agreed with regions',
    ]);
  });
});
