import { describe, expect, it } from 'vitest';
import { decide, type Principal, type ProtectedRecord, type Role, type StatutoryFunction } from './access.js';

const england = 1;
const region = 2;
const icb = 3;
const trust = 4;
const otherTrust = 5;
const record = (path: number[], extra: Partial<ProtectedRecord> = {}): ProtectedRecord => ({
  path,
  published: false,
  statutoryFunction: null,
  template: null,
  ...extra,
});
const person = (role: Role, scope: number | null, functions: StatutoryFunction[] = []): Principal => ({
  kind: 'user',
  userId: 1,
  label: role,
  isAdmin: false,
  grants: [{ role, scopeOrganisationId: scope }],
  functions,
});
const trustRecord = record([england, region, icb, trust]);
const icbRecord = record([england, region, icb]);

describe('the access policy for accountability and mutual aid', () => {
  it('lets a board declare only for its own organisation, and an ICB lead only for the ICB', () => {
    expect(decide(person('trust-board-member', trust), 'declare', trustRecord).allowed).toBe(true);
    expect(decide(person('trust-board-member', otherTrust), 'declare', trustRecord).allowed).toBe(false);
    // The ICB lead's grant covers the trust, but a trust's declaration is its board's.
    expect(decide(person('icb-lead', icb), 'declare', trustRecord).allowed).toBe(false);
    expect(decide(person('icb-lead', icb), 'declare', icbRecord).allowed).toBe(true);
    expect(decide(person('regional-director', region), 'declare', trustRecord).allowed).toBe(false);
    expect(decide(person('trust-data-submitter', trust), 'declare', trustRecord).allowed).toBe(false);
  });

  it('leaves interventions to regions and the centre, and hides one of a function without its grant', () => {
    expect(decide(person('regional-director', region), 'intervene', trustRecord).allowed).toBe(true);
    expect(decide(person('regional-team', region), 'intervene', trustRecord).allowed).toBe(true);
    expect(decide(person('icb-lead', icb), 'intervene', trustRecord).allowed).toBe(false);
    expect(decide(person('trust-board-member', trust), 'intervene', trustRecord).allowed).toBe(false);
    const licensing = record([england, region, icb, trust], { statutoryFunction: 'provider-licensing' });
    expect(decide(person('regional-director', region), 'read', licensing)).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/Provider licence enforcement/),
    });
    expect(
      decide(person('regional-director', region, ['provider-licensing']), 'intervene', licensing).allowed,
    ).toBe(true);
    // Published or not, a function's record stays hidden from the public.
    expect(decide({ kind: 'public' }, 'read', { ...licensing, published: true }).allowed).toBe(false);
  });

  it('gives contributions, governance and mutual aid to the roles that hold them', () => {
    expect(decide(person('icb-lead', icb), 'contribute', icbRecord).allowed).toBe(true);
    expect(decide(person('trust-board-member', trust), 'contribute', trustRecord).allowed).toBe(false);
    expect(decide(person('regional-director', region), 'govern', record([england, region])).allowed).toBe(
      true,
    );
    expect(decide(person('regional-team', region), 'govern', record([england, region])).allowed).toBe(false);
    expect(decide(person('trust-board-member', trust), 'collaborate', trustRecord).allowed).toBe(true);
    expect(decide(person('trust-board-member', otherTrust), 'collaborate', trustRecord).allowed).toBe(false);
    expect(decide(person('regional-team', region), 'collaborate', trustRecord).allowed).toBe(true);
    expect(
      decide(
        { kind: 'token', tokenId: 1, label: 't', organisationId: trust, templates: [] },
        'collaborate',
        trustRecord,
      ).allowed,
    ).toBe(false);
  });
});
