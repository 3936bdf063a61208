import { describe, expect, it } from 'vitest';
import {
  actionState,
  countActions,
  countByRepresentation,
  daysOverdue,
  decisionInputSchema,
  decisionRefusal,
  meetingStatusRefusal,
  memberInputSchema,
  membersAt,
  newMeetingStatusRefusal,
  nextMeeting,
  type MemberPosition,
} from './governance.js';

const member = (
  personName: string,
  validFrom: string,
  validTo: string | null,
  position: MemberPosition = 'member',
) => ({
  personName,
  position,
  validFrom,
  validTo,
});

describe('membership as at a date', () => {
  const members = [
    member('Ada Member', '2019-01-01', '2019-07-01'),
    member('Ben Member', '2019-07-01', null),
    member('Cara Chair', '2019-01-01', null, 'co-chair'),
    member('Dev Later', '2020-01-01', null),
  ];

  it('counts a membership from its first day and not on the day it ends (half-open)', () => {
    expect(membersAt(members, '2019-06-30').map((m) => m.personName)).toEqual(['Cara Chair', 'Ada Member']);
    expect(membersAt(members, '2019-07-01').map((m) => m.personName)).toEqual(['Cara Chair', 'Ben Member']);
  });

  it('puts chairs first and leaves out people not yet members', () => {
    expect(membersAt(members, '2018-12-31')).toEqual([]);
    expect(membersAt(members, '2020-01-01').map((m) => m.personName)).toEqual([
      'Cara Chair',
      'Ben Member',
      'Dev Later',
    ]);
  });
});

describe('counts by what members represent', () => {
  it('groups sectors and organisations, largest first, without judging a quorum', () => {
    const london = { odsCode: 'Y56', name: 'London' };
    expect(
      countByRepresentation([
        { sector: 'patient', organisation: null },
        { sector: 'patient', organisation: null },
        { sector: null, organisation: london },
        { sector: 'trust', organisation: null },
        { sector: null, organisation: london },
        { sector: null, organisation: london },
      ]),
    ).toEqual([
      { key: 'organisation:Y56', label: 'London (Y56)', count: 3 },
      { key: 'sector:patient', label: 'National patient organisations', count: 2 },
      { key: 'sector:trust', label: 'NHS trusts', count: 1 },
    ]);
  });
});

describe('overdue actions', () => {
  const today = '2025-03-10';
  const actions = [
    { dueOn: '2025-03-09', completedOn: null }, // overdue by 1 day
    { dueOn: '2025-03-10', completedOn: null }, // due today: open
    { dueOn: '2025-02-01', completedOn: null }, // overdue by 37 days
    { dueOn: '2025-02-01', completedOn: '2025-02-03' }, // completed late
    { dueOn: '2025-04-01', completedOn: '2025-03-01' }, // completed early
  ];

  it('is overdue only after the due date, and never once completed', () => {
    expect(actions.map((a) => actionState(a, today))).toEqual([
      'overdue',
      'open',
      'overdue',
      'completed',
      'completed',
    ]);
  });

  it('counts each state and the late completions', () => {
    expect(countActions(actions, today)).toEqual({ open: 1, overdue: 2, completed: 2, completedLate: 1 });
    expect(countActions([], today)).toEqual({ open: 0, overdue: 0, completed: 0, completedLate: 0 });
  });

  it('counts whole days overdue', () => {
    expect(actions.map((a) => daysOverdue(a, today))).toEqual([1, 0, 37, 0, 0]);
  });
});

describe('meetings', () => {
  const today = '2025-03-10';
  it('finds the next scheduled meeting from today', () => {
    const meetings = [
      { id: 1, meetsOn: '2025-03-01', status: 'held' as const },
      { id: 2, meetsOn: '2025-04-01', status: 'scheduled' as const },
      { id: 3, meetsOn: '2025-03-10', status: 'cancelled' as const },
      { id: 4, meetsOn: '2025-03-10', status: 'scheduled' as const },
    ];
    expect(nextMeeting(meetings, today)?.id).toBe(4);
    expect(nextMeeting(meetings.slice(0, 1), today)).toBeNull();
  });

  it('holds a scheduled meeting on or after its date, cancels it any time, and never changes a final status', () => {
    expect(meetingStatusRefusal({ meetsOn: '2025-03-11', status: 'scheduled' }, 'held', today)).toMatch(
      /cannot be recorded as held/,
    );
    expect(meetingStatusRefusal({ meetsOn: '2025-03-10', status: 'scheduled' }, 'held', today)).toBeNull();
    expect(
      meetingStatusRefusal({ meetsOn: '2025-03-11', status: 'scheduled' }, 'cancelled', today),
    ).toBeNull();
    expect(meetingStatusRefusal({ meetsOn: '2025-03-01', status: 'held' }, 'cancelled', today)).toMatch(
      /already held/,
    );
  });

  it('refuses to schedule a past meeting or record a future one as held', () => {
    expect(newMeetingStatusRefusal('2025-03-09', 'scheduled', today)).toMatch(/in the past/);
    expect(newMeetingStatusRefusal('2025-03-11', 'held', today)).toMatch(/has not happened/);
    expect(newMeetingStatusRefusal('2025-03-10', 'scheduled', today)).toBeNull();
  });

  it('takes decisions only at meetings that have happened and were not cancelled', () => {
    expect(decisionRefusal({ meetsOn: '2025-03-11', status: 'scheduled' }, today)).toMatch(/on or after/);
    expect(decisionRefusal({ meetsOn: '2025-03-01', status: 'cancelled' }, today)).toMatch(/cancelled/);
    expect(decisionRefusal({ meetsOn: '2025-03-01', status: 'scheduled' }, today)).toBeNull();
  });
});

describe('inputs', () => {
  it('says which field is wrong and what to enter', () => {
    const result = memberInputSchema.safeParse({
      personName: ' ',
      position: 'treasurer',
      represents: { sector: 'pharma' },
      validFrom: '2025-02-30',
    });
    expect(result.success).toBe(false);
    const fields = result.error?.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['personName', 'position', 'validFrom']));
    expect(result.error?.issues.find((i) => i.path[0] === 'validFrom')?.message).toBe(
      'enter the date the membership starts as a real date, YYYY-MM-DD',
    );
  });

  it('reads an organisation by ODS code in capitals, and a decision with optional links', () => {
    expect(
      memberInputSchema.parse({
        personName: 'A',
        position: 'member',
        represents: { organisation: 'y56' },
        validFrom: '2025-01-01',
      }).represents,
    ).toEqual({ organisation: 'Y56' });
    expect(decisionInputSchema.parse({ text: 'Agreed', programme: 'cancer' })).toEqual({
      text: 'Agreed',
      programme: 'cancer',
      publish: false,
    });
    expect(decisionInputSchema.safeParse({ text: 'Agreed', programme: 'Not A Code' }).success).toBe(false);
  });
});
