import { describe, expect, it } from 'vitest';
import {
  aidRequestInputSchema,
  assessPressure,
  checkAidStep,
  rankAidCandidates,
  remainingNeed,
  statusFromMatches,
  type AidCandidateOrganisation,
  type AidNeed,
} from './mutual-aid.js';
import { approximateLocation, greatCircleKm, postcodeArea } from './postcode-areas.js';

const org = (
  id: number,
  icbId: number,
  regionId: number,
  postcode: string | null,
  occupancy: number | null = 80,
): AidCandidateOrganisation => ({
  id,
  odsCode: `T${id}`,
  name: `Trust ${id}`,
  sector: 'acute',
  icbId,
  regionId,
  location: approximateLocation(postcode),
  occupancy: occupancy === null ? null : { value: occupancy, period: '2026-01-01' },
  segment: null,
});
const need: AidNeed = {
  organisationId: 1,
  kind: 'beds',
  detail: 'adult-critical-care',
  unit: 'beds',
  remaining: 10,
  neededFrom: '2026-02-01',
  neededTo: '2026-02-28',
};
const offer = (id: number, organisationId: number, remaining: number) => ({
  id,
  organisationId,
  kind: 'beds' as const,
  detail: 'adult-critical-care',
  unit: 'beds',
  remaining,
  availableFrom: '2026-01-01',
  availableTo: '2026-03-31',
});

describe('postcode areas', () => {
  it('reads the area and measures great-circle distance', () => {
    expect(postcodeArea('se1 7eh')).toBe('SE');
    expect(postcodeArea('M13 9WL')).toBe('M');
    expect(postcodeArea('not a postcode')).toBeNull();
    const london = approximateLocation('SE1 7EH');
    const manchester = approximateLocation('M13 9WL');
    if (!london || !manchester) throw new Error('expected both areas');
    // London to Manchester is about 260 km as the crow flies.
    expect(greatCircleKm(london, manchester)).toBeGreaterThan(240);
    expect(greatCircleKm(london, manchester)).toBeLessThan(280);
  });
});

describe('ranking', () => {
  const organisations = [
    org(1, 10, 100, 'SE1 7EH'),
    org(2, 10, 100, 'BR6 8ND'),
    org(3, 11, 100, 'SW17 0QT'),
    org(4, 20, 200, 'M13 9WL'),
    org(5, 10, 100, 'SE13 6LH', 96),
    org(6, 10, 100, null),
  ];

  it('puts the same ICB first, then the region, then England, whatever the distance', () => {
    const result = rankAidCandidates(need, organisations, [
      offer(1, 4, 20),
      offer(2, 3, 20),
      offer(3, 2, 20),
    ]);
    expect(result.offers.map((c) => [c.organisation.id, c.tier])).toEqual([
      [2, 'icb'],
      [3, 'region'],
      [4, 'national'],
    ]);
    expect(result.escalation).toBe('icb');
  });

  it('leaves out an organisation under pressure, with why, and ranks unknown distance last in its tier', () => {
    const result = rankAidCandidates(need, organisations, [offer(1, 5, 10)]);
    expect(result.offers).toEqual([]);
    expect(result.excluded[0]?.organisation.id).toBe(5);
    expect(result.excluded[0]?.excluded).toBe('General and acute bed occupancy 96.0%, at or above 95%');
    expect(result.organisations.map((c) => c.organisation.id)).toEqual([2, 6, 3, 4]);
    expect(result.organisations[1]?.distanceKm).toBeNull();
    expect(result.shortfall).toBe(10);
    expect(result.escalation).toBe('national');
  });

  it('meets a need across two offers when neither covers it, best first', () => {
    const result = rankAidCandidates(need, organisations, [offer(1, 2, 6), offer(2, 3, 7)]);
    expect(result.allocation).toEqual([
      { offerId: 1, organisationId: 2, quantity: 6 },
      { offerId: 2, organisationId: 3, quantity: 4 },
    ]);
    expect(result.shortfall).toBe(0);
    expect(result.escalation).toBe('region');
  });

  it('states pressure from a regional segment judgement and from strain', () => {
    expect(assessPressure({ occupancy: null, segment: 5 }).level).toBe('excluded');
    expect(assessPressure({ occupancy: { value: 93, period: '2026-01-01' }, segment: 2 }).level).toBe(
      'strained',
    );
    expect(assessPressure({ occupancy: null, segment: null }).level).toBe('unknown');
  });
});

describe('lifecycle', () => {
  it('follows its matches before the aid starts, and refuses steps out of order', () => {
    expect(statusFromMatches('requested', [{ status: 'proposed' }])).toBe('matched');
    expect(statusFromMatches('matched', [{ status: 'proposed' }, { status: 'agreed' }])).toBe('agreed');
    expect(statusFromMatches('matched', [{ status: 'withdrawn' }])).toBe('requested');
    expect(statusFromMatches('in-progress', [{ status: 'withdrawn' }])).toBe('in-progress');
    expect(checkAidStep('requested', 'start')).toContain('at least one match is agreed');
    expect(checkAidStep('completed', 'withdraw')).toContain('cannot be withdrawn');
    expect(checkAidStep('agreed', 'propose')).toBeNull();
    expect(
      remainingNeed(10, [
        { status: 'proposed', quantity: 4 },
        { status: 'withdrawn', quantity: 5 },
      ]),
    ).toBe(6);
  });

  it('locates every problem of a request', () => {
    const parsed = aidRequestInputSchema.safeParse({
      requester: 'rj1',
      kind: 'elective',
      detail: 'mri',
      unit: 'beds',
      quantity: 2.5,
      neededFrom: '2026-02-10',
      neededTo: '2026-02-01',
      urgency: 'soon',
      reason: '',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'quantity',
      'reason',
      'urgency',
    ]);
    const kindProblems = aidRequestInputSchema.safeParse({
      requester: 'RJ1',
      kind: 'elective',
      detail: 'mri',
      unit: 'beds',
      quantity: 2,
      neededFrom: '2026-02-10',
      neededTo: '2026-02-01',
      urgency: 'urgent',
      reason: 'x',
    });
    expect(kindProblems.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'detail',
      'neededTo',
      'unit',
    ]);
  });
});
