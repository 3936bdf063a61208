import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { AppError } from '../domain/errors.js';
import { buildTrust, nextTestCode, testContext } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import {
  absorbOrganisations,
  assignRole,
  closeOrganisation,
  mergeOrganisations,
  openOrganisation,
  reparentOrganisation,
  reviseOrganisation,
  splitOrganisation,
} from './hierarchy.service.js';
import {
  getOrganisationProfile,
  getPathAt,
  getTreeAt,
  listEvents,
  resolveAsNow,
} from './hierarchy-query.service.js';

async function rejection(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('hierarchy changes as append-only events', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
  });
  afterAll(async () => handle.close());

  it('opens a trust under an ICB and answers its path before and after the 2019 restructure', async () => {
    const code = await buildTrust(handle.db, { parentCode: 'QOP', date: '2017-01-01' });
    expect((await getPathAt(handle.db, code, '2018-01-01')).map((o) => o.odsCode)).toEqual([
      'X24',
      'Y54',
      'QOP',
      code,
    ]);
    expect((await getPathAt(handle.db, code, '2019-04-01')).map((o) => o.odsCode)).toEqual([
      'X24',
      'Y62',
      'QOP',
      code,
    ]);
    const error = await rejection(getPathAt(handle.db, code, '2016-12-31'));
    expect(error.message).toContain('did not exist');
  });

  it('re-parents from the change date: the old parent before, the new one on and after', async () => {
    const code = await buildTrust(handle.db, { parentCode: 'QKK' });
    await reparentOrganisation(handle.db, testContext, {
      odsCode: code,
      parentCode: 'QWE',
      date: '2021-04-01',
      reason: 'Moved to South West London',
    });
    expect((await getPathAt(handle.db, code, '2021-03-31')).at(-2)?.odsCode).toBe('QKK');
    expect((await getPathAt(handle.db, code, '2021-04-01')).at(-2)?.odsCode).toBe('QWE');
    const again = await reparentOrganisation(handle.db, testContext, {
      odsCode: code,
      parentCode: 'QWE',
      date: '2022-01-01',
      reason: 'No change',
    });
    expect(again.changed).toBe(false);
    const { events } = await listEvents(handle.db, { odsCode: code, limit: 10, offset: 0 });
    expect(events.map((e) => e.type)).toEqual(['open', 'reparent']);
    expect(events[1]?.details).toMatchObject({ from: 'QKK', to: 'QWE' });
  });

  it('refuses changes out of date order, to the wrong kind of parent, or into a cycle', async () => {
    const code = await buildTrust(handle.db);
    await reparentOrganisation(handle.db, testContext, {
      odsCode: code,
      parentCode: 'QWE',
      date: '2021-04-01',
      reason: 'x',
    });
    expect(
      (
        await rejection(
          reparentOrganisation(handle.db, testContext, {
            odsCode: code,
            parentCode: 'QMF',
            date: '2020-01-01',
            reason: 'x',
          }),
        )
      ).code,
    ).toBe('conflict');
    const wrongKind = await rejection(
      reparentOrganisation(handle.db, testContext, {
        odsCode: code,
        parentCode: 'Y56',
        date: '2022-01-01',
        reason: 'x',
      }),
    );
    expect(wrongKind.message).toContain('its parent must be');
    const cycle = await rejection(
      reparentOrganisation(handle.db, testContext, {
        odsCode: 'Y56',
        parentCode: 'Y56',
        date: '2022-01-01',
        reason: 'x',
      }),
    );
    expect(cycle.code).toBe('invalid-input');
    const noReason = await rejection(
      reparentOrganisation(handle.db, testContext, {
        odsCode: code,
        parentCode: 'QMF',
        date: '2022-01-01',
        reason: ' ',
      }),
    );
    expect(noReason.problems[0]?.field).toBe('reason');
    const badDate = await rejection(
      reparentOrganisation(handle.db, testContext, {
        odsCode: code,
        parentCode: 'QMF',
        date: '2022-02-30',
        reason: 'x',
      }),
    );
    expect(badDate.message).toContain('not a real date');
    const unknown = await rejection(
      reparentOrganisation(handle.db, testContext, {
        odsCode: 'ZZZ99',
        parentCode: 'QMF',
        date: '2022-02-01',
        reason: 'x',
      }),
    );
    expect(unknown.code).toBe('not-found');
  });

  it('merges A + B into a new C, moving their children and keeping both histories', async () => {
    const a = await buildTrust(handle.db, { parentCode: 'QVV', name: 'Alpha Hospitals NHS Trust' });
    const b = await buildTrust(handle.db, { parentCode: 'QVV', name: 'Beta Hospitals NHS Trust' });
    const c = nextTestCode('M');
    await mergeOrganisations(handle.db, testContext, {
      predecessorCodes: [a, b],
      successor: {
        odsCode: c,
        name: 'Alpha and Beta NHS Foundation Trust',
        kind: 'nhs-trust',
        sector: 'acute',
        parentCode: 'QVV',
      },
      date: '2022-10-01',
      reason: 'Merger approved by both boards',
    });
    const before = await getTreeAt(handle.db, { asAt: '2022-09-30', rootCode: 'QVV' });
    const after = await getTreeAt(handle.db, { asAt: '2022-10-01', rootCode: 'QVV' });
    const codes = (tree: typeof before) => tree.root.children.map((n) => n.organisation.odsCode);
    expect(codes(before)).toEqual(expect.arrayContaining([a, b]));
    expect(codes(before)).not.toContain(c);
    expect(codes(after)).toContain(c);
    expect(codes(after)).not.toContain(a);

    const profileA = await getOrganisationProfile(handle.db, a, '2020-01-01');
    expect(profileA.details.name).toBe('Alpha Hospitals NHS Trust');
    expect(profileA.successors).toEqual([
      expect.objectContaining({ successorCode: c, type: 'merger', isSplit: false }),
    ]);
    const profileC = await getOrganisationProfile(handle.db, c, '2023-01-01');
    expect(profileC.predecessors.map((s) => s.predecessorCode).sort()).toEqual([a, b].sort());
    expect((await resolveAsNow(handle.db, b, '2024-01-01')).current[0]?.organisation.odsCode).toBe(c);
  });

  it('absorbs B into existing A, moving its children; a CCG absorbed into its ICB takes its practices', async () => {
    const ccg = nextTestCode('C');
    await openOrganisation(handle.db, testContext, {
      odsCode: ccg,
      name: 'Test CCG',
      kind: 'ccg',
      parentCode: 'QJK',
      date: '2018-04-01',
      reason: 'x',
    });
    const practice = nextTestCode('P');
    await openOrganisation(handle.db, testContext, {
      odsCode: practice,
      name: 'Test Surgery',
      kind: 'gp-practice',
      parentCode: ccg,
      date: '2018-04-01',
      reason: 'x',
    });
    const closeWithChildren = await rejection(
      closeOrganisation(handle.db, testContext, { odsCode: ccg, date: '2022-07-01', reason: 'x' }),
    );
    expect(closeWithChildren.message).toContain(practice);
    await absorbOrganisations(handle.db, testContext, {
      predecessorCodes: [ccg],
      acquirerCode: 'QJK',
      date: '2022-07-01',
      reason: 'CCGs abolished; functions to the ICB',
    });
    expect((await getPathAt(handle.db, practice, '2022-06-30')).map((o) => o.odsCode)).toEqual([
      'X24',
      'Y58',
      'QJK',
      ccg,
      practice,
    ]);
    expect((await getPathAt(handle.db, practice, '2022-07-01')).map((o) => o.odsCode)).toEqual([
      'X24',
      'Y58',
      'QJK',
      practice,
    ]);
  });

  it('splits A into B and C; refuses while A still has children', async () => {
    const a = await buildTrust(handle.db, { parentCode: 'QOP' });
    const b = nextTestCode('S');
    const c = nextTestCode('S');
    await splitOrganisation(handle.db, testContext, {
      odsCode: a,
      successors: [
        { newOrganisation: { odsCode: b, name: 'North part NHS Trust', kind: 'nhs-trust', sector: 'acute' } },
        {
          newOrganisation: {
            odsCode: c,
            name: 'South part NHS Trust',
            kind: 'nhs-trust',
            sector: 'community',
          },
        },
      ],
      date: '2023-04-01',
      reason: 'Services divided',
    });
    const asNow = await resolveAsNow(handle.db, a, '2024-01-01');
    expect(asNow.resolution.status).toBe('split');
    expect(asNow.resolution.currentCodes).toEqual([b, c].sort());
    expect((await getPathAt(handle.db, b, '2023-04-01')).at(-2)?.odsCode).toBe('QOP');
    const withChildren = await rejection(
      splitOrganisation(handle.db, testContext, {
        odsCode: 'QOP',
        successors: [{ existingCode: 'QE1' }, { existingCode: 'QYG' }],
        date: '2024-01-01',
        reason: 'x',
      }),
    );
    expect(withChildren.code).toBe('conflict');
  });

  it('revises details from a date, keeping the earlier version', async () => {
    const code = await buildTrust(handle.db, { name: 'Old Name NHS Trust' });
    await reviseOrganisation(handle.db, testContext, {
      odsCode: code,
      date: '2020-04-01',
      reason: 'Renamed',
      changes: { name: 'New Name NHS Foundation Trust' },
    });
    expect((await getPathAt(handle.db, code, '2020-03-31')).at(-1)?.name).toBe('Old Name NHS Trust');
    expect((await getPathAt(handle.db, code, '2020-04-01')).at(-1)?.name).toBe(
      'New Name NHS Foundation Trust',
    );
    const sectorOnIcb = await rejection(
      reviseOrganisation(handle.db, testContext, {
        odsCode: 'QKK',
        date: '2024-01-01',
        reason: 'x',
        changes: { sector: 'acute' },
      }),
    );
    expect(sectorOnIcb.message).toContain('Only NHS trusts have a sector');
  });

  it('names a regional director on a region, from a date', async () => {
    await assignRole(handle.db, testContext, {
      odsCode: 'Y60',
      role: 'regional-director',
      holderName: 'A. Director',
      date: '2019-04-01',
      reason: 'Appointed',
    });
    await assignRole(handle.db, testContext, {
      odsCode: 'Y60',
      role: 'regional-director',
      holderName: 'B. Director',
      date: '2023-01-01',
      reason: 'Appointed',
    });
    const profile = await getOrganisationProfile(handle.db, 'Y60', '2024-01-01');
    expect(profile.roles.map((r) => [r.holderName, r.validFrom, r.validTo])).toEqual([
      ['A. Director', '2019-04-01', '2023-01-01'],
      ['B. Director', '2023-01-01', null],
    ]);
    const onTrust = await rejection(
      assignRole(handle.db, testContext, {
        odsCode: 'QKK',
        role: 'regional-director',
        holderName: 'X',
        date: '2024-01-01',
        reason: 'x',
      }),
    );
    expect(onTrust.message).toContain('Only regions');
  });

  it('refuses UPDATE and DELETE of history at the database level', async () => {
    await expect(sql`update hierarchy_event set reason = 'rewritten'`.execute(handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from organisation_succession`.execute(handle.db)).rejects.toThrow(/append-only/);
    await expect(
      sql`update organisation_version set name = 'x' where valid_to is null`.execute(handle.db),
    ).rejects.toThrow(/only be closed/);
    await expect(
      sql`update organisation_parent set valid_to = '2030-01-01' where valid_to is not null`.execute(
        handle.db,
      ),
    ).rejects.toThrow(/already closed/);
    await expect(sql`truncate organisation_role`.execute(handle.db)).rejects.toThrow(/append-only/);
  });

  it('refuses overlapping parent links even if written directly', async () => {
    await expect(
      sql`insert into organisation_parent (organisation_id, parent_id, valid_from, event_id)
          select o.id, p.id, '2020-01-01', (select min(id) from hierarchy_event)
          from organisation o, organisation p where o.ods_code = 'QKK' and p.ods_code = 'Y59'`.execute(
        handle.db,
      ),
    ).rejects.toThrow(/organisation_parent_no_overlap/);
  });
});
