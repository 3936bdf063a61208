import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import type { Principal } from '../domain/access.js';
import { createTestDatabase } from '../../test/test-database.js';
import { loadDemoDataset } from './demo.service.js';
import { getAidBoard, getAidMatching } from './mutual-aid.service.js';

/** The demo shows mutual aid in every state of its lifecycle, in two regions, with distances. */
describe('the demo mutual aid', () => {
  let handle: DatabaseHandle;
  const national: Principal = {
    kind: 'user',
    userId: 0,
    label: 'test',
    isAdmin: false,
    grants: [{ role: 'national-director', scopeOrganisationId: null }],
    functions: [],
  };
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    const summary = await loadDemoDataset(handle, { today });
    expect(summary.accountability.mutualAid).toBeGreaterThan(8);
  }, 600_000);
  afterAll(async () => handle?.close());

  it('has requests in every state on the London and North West boards, ranked with distances', async () => {
    const london = await getAidBoard(handle.db, national, 'Y56', today);
    const northWest = await getAidBoard(handle.db, national, 'Y62', today);
    const statuses = new Set([...london.requests, ...northWest.requests].map((r) => r.status));
    expect([...statuses].sort()).toEqual([
      'agreed',
      'completed',
      'in-progress',
      'matched',
      'requested',
      'withdrawn',
    ]);
    expect(northWest.offers.length).toBeGreaterThanOrEqual(2);
    const open = northWest.requests.find((r) => r.status === 'requested');
    if (!open) throw new Error('expected an open request in the North West');
    const { matching } = await getAidMatching(handle.db, national, open.id, today);
    expect(matching.offers.length).toBe(2);
    expect(matching.offers.every((c) => c.distanceKm !== null)).toBe(true);
    // Local first: tiers never go back from England to the region or ICB down the list.
    const rank = { icb: 0, region: 1, national: 2 } as const;
    const tiers = matching.organisations.map((c) => rank[c.tier]);
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    expect(tiers.length).toBeGreaterThan(0);
  });
});
