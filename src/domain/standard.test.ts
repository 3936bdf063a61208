import { describe, expect, it } from 'vitest';
import {
  adoptionByArea,
  adoptionOf,
  bodyDueDate,
  declarationInboxState,
  overdueBodies,
  parseDeclaration,
  standardInputSchema,
  standardPhase,
  type ApplicableBody,
  type SeenStatus,
} from './standard.js';

const today = '2026-07-15';

describe('parseDeclaration', () => {
  it('accepts comply with evidence and drops any plan', () => {
    expect(
      parseDeclaration({ position: 'comply', evidence: '  Board minutes, 3 June  ', plan: [{}] }, today),
    ).toEqual({
      ok: true,
      value: { position: 'comply', evidence: 'Board minutes, 3 June', explanation: null, plan: null },
    });
  });

  it('refuses comply without evidence, located on the field', () => {
    expect(parseDeclaration({ position: 'comply', evidence: '  ' }, today)).toEqual({
      ok: false,
      problems: [
        { field: 'evidence', message: 'Enter the evidence that the board complies with the standard' },
      ],
    });
  });

  it('asks for a position when none is chosen', () => {
    expect(parseDeclaration({}, today)).toMatchObject({ ok: false, problems: [{ field: 'position' }] });
    expect(parseDeclaration(null, today)).toMatchObject({ ok: false, problems: [{ field: 'position' }] });
  });

  it('refuses explain without an explanation or a plan', () => {
    const result = parseDeclaration({ position: 'explain', plan: [] }, today);
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: 'explanation', message: 'Enter why the board does not comply with the standard' },
        {
          field: 'plan',
          message: 'Add at least one action to the plan, with what will be done, who owns it and by when',
        },
      ],
    });
  });

  it('locates each problem of each action, ignoring wholly blank rows', () => {
    const result = parseDeclaration(
      {
        position: 'explain',
        explanation: 'Not yet resourced',
        plan: [
          { description: 'Appoint a guardian', owner: '', due: '2026-07-14' },
          { description: '', owner: '', due: '' },
          { description: '', owner: 'Chief nurse', due: '2026-02-30' },
        ],
      },
      today,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { field: 'plan.0.owner', message: 'Enter who owns action 1, such as the chief nurse' },
        { field: 'plan.0.due', message: 'The date of action 1 must be today or in the future' },
        { field: 'plan.2.description', message: 'Enter what action 3 will do' },
        { field: 'plan.2.due', message: 'The date of action 3 must be a real date, such as 31 March 2027' },
      ],
    });
  });

  it('accepts explain with a plan due today', () => {
    expect(
      parseDeclaration(
        {
          position: 'explain',
          explanation: 'Guardian post vacant',
          plan: [{ description: 'Recruit', owner: 'Chief people officer', due: today }],
        },
        today,
      ),
    ).toEqual({
      ok: true,
      value: {
        position: 'explain',
        evidence: null,
        explanation: 'Guardian post vacant',
        plan: [{ description: 'Recruit', owner: 'Chief people officer', due: today }],
      },
    });
  });
});

describe('standardInputSchema', () => {
  const valid = {
    code: 'ftsu-2026',
    title: 'Freedom to Speak Up',
    owner: 'National Guardian',
    organisationKinds: ['nhs-trust', 'icb'],
    evidenceAsked: 'Board self-review',
    effectiveFrom: '2026-04-01',
    declarationsDue: '2026-06-30',
  };
  it('accepts a standard and defaults the summary', () => {
    expect(standardInputSchema.parse(valid).summary).toBe('');
  });
  it('refuses unknown kinds and a due date before the effective date, with their fields', () => {
    const kinds = standardInputSchema.safeParse({ ...valid, organisationKinds: ['gp-practice'] });
    expect(kinds.error?.issues.map((i) => i.path.join('.'))).toEqual(['organisationKinds.0']);
    const dates = standardInputSchema.safeParse({ ...valid, declarationsDue: '2026-03-01' });
    expect(dates.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['declarationsDue', 'Declarations cannot be due before the standard takes effect'],
    ]);
  });
});

describe('states and roll-ups', () => {
  // Region 1 holds ICB 10 (trusts 11, 12) and ICB 20 (trust 21); region 2 holds ICB 30 with no bodies.
  const body = (id: number, kind: 'nhs-trust' | 'icb', icbId: number, regionId: number): ApplicableBody => ({
    organisationId: id,
    odsCode: `O${id}`,
    name: `Org ${id}`,
    kind,
    icbId,
    regionId,
    openedOn: '2020-04-01',
  });
  // The standard took effect on 1 April; declarations were due by 30 June (a window of 90 days).
  const dates = (declarationsDue: string) => ({ effectiveFrom: '2026-04-01', declarationsDue });
  const bodies = [
    body(10, 'icb', 10, 1),
    body(11, 'nhs-trust', 10, 1),
    body(12, 'nhs-trust', 10, 1),
    body(20, 'icb', 20, 1),
    body(21, 'nhs-trust', 20, 1),
  ];
  const statuses: Record<number, SeenStatus> = { 10: 'complies', 11: 'explains', 21: 'declared' };
  const statusOf = (id: number) => statuses[id] ?? 'not-declared';

  it('gives the phase of a standard and the inbox state of a declaration', () => {
    expect(standardPhase({ effectiveFrom: '2026-04-01', published: false }, today)).toBe('draft');
    expect(standardPhase({ effectiveFrom: '2026-08-01', published: true }, today)).toBe('upcoming');
    expect(standardPhase({ effectiveFrom: '2026-04-01', published: true }, today)).toBe('in-effect');
    expect(declarationInboxState(false, '2026-07-15', today)).toBe('open');
    expect(declarationInboxState(false, '2026-07-14', today)).toBe('overdue');
    expect(declarationInboxState(true, '2026-07-14', today)).toBe('done');
  });

  it('counts England: 5 bodies, 3 declared (60%), 1 of 4 seen complies (25%), 2 overdue', () => {
    expect(adoptionOf(bodies, statusOf, dates('2026-06-30'), today)).toEqual({
      applicable: 5,
      complies: 1,
      explains: 1,
      declaredUnpublished: 1,
      notDeclared: 2,
      overdue: 2,
      declaredPercent: 60,
      compliesPercent: 25,
    });
    expect(adoptionOf(bodies, statusOf, dates(today), today).overdue).toBe(0);
  });

  it('counts each ICB with its members and itself, and keeps areas with none', () => {
    const areas = [10, 20, 30].map((id) => ({ id, odsCode: `I${id}`, name: `ICB ${id}` }));
    const rows = adoptionByArea(areas, bodies, 'icb', statusOf, dates('2026-06-30'), today);
    expect(
      rows.map((r) => [r.area.id, r.applicable, r.complies, r.explains, r.notDeclared, r.declaredPercent]),
    ).toEqual([
      [10, 3, 1, 1, 1, 66.7],
      [20, 2, 0, 0, 1, 50],
      [30, 0, 0, 0, 0, null],
    ]);
    const regions = adoptionByArea(
      [
        { id: 1, odsCode: 'R1', name: 'Region 1' },
        { id: 2, odsCode: 'R2', name: 'Region 2' },
      ],
      bodies,
      'region',
      statusOf,
      dates('2026-06-30'),
      today,
    );
    expect(regions.map((r) => [r.applicable, r.overdue])).toEqual([
      [5, 2],
      [0, 0],
    ]);
  });

  it('lists overdue bodies only after the due date', () => {
    const declared = (id: number) => id in statuses;
    expect(overdueBodies(bodies, declared, dates('2026-06-30'), today).map((b) => b.odsCode)).toEqual([
      'O12',
      'O20',
    ]);
    expect(overdueBodies(bodies, declared, dates(today), today)).toEqual([]);
  });

  it('gives a board opened after declarations were due the same window from its opening', () => {
    const declared = (id: number) => id in statuses;
    // Trust 13 opened on 1 July, after the 30 June deadline: its own is 90 days later, 29 September.
    const late = { ...body(13, 'nhs-trust', 10, 1), openedOn: '2026-07-01' };
    expect(bodyDueDate(late, dates('2026-06-30'))).toBe('2026-09-29');
    // Opened on or before the deadline: the standard's own date.
    expect(bodyDueDate({ openedOn: '2026-06-30' }, dates('2026-06-30'))).toBe('2026-06-30');
    const withLate = [...bodies, late];
    expect(overdueBodies(withLate, declared, dates('2026-06-30'), today).map((b) => b.odsCode)).toEqual([
      'O12',
      'O20',
    ]);
    expect(adoptionOf(withLate, statusOf, dates('2026-06-30'), today)).toMatchObject({
      applicable: 6,
      notDeclared: 3,
      overdue: 2,
    });
    expect(
      adoptionByArea(
        [{ id: 10, odsCode: 'I10', name: 'ICB 10' }],
        withLate,
        'icb',
        statusOf,
        dates('2026-06-30'),
        today,
      )[0]?.overdue,
    ).toBe(1);
    // Once its own window has passed, it is overdue like the rest.
    const later = '2026-09-30';
    expect(overdueBodies(withLate, declared, dates('2026-06-30'), later).map((b) => b.odsCode)).toEqual([
      'O12',
      'O13',
      'O20',
    ]);
    expect(adoptionOf(withLate, statusOf, dates('2026-06-30'), later).overdue).toBe(3);
  });
});
