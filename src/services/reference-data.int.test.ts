import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { countHierarchyEvents } from '../db/hierarchy-event.repository.js';
import type { OrganisationTreeNode } from '../domain/organisation-tree.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getPathAt, getTreeAt } from './hierarchy-query.service.js';
import { ensureReferenceStructure } from './reference-data.service.js';

function childCodes(node: OrganisationTreeNode): string[] {
  return node.children.map((child) => child.organisation.odsCode).sort();
}

function findNode(node: OrganisationTreeNode, code: string): OrganisationTreeNode | undefined {
  if (node.organisation.odsCode === code) return node;
  for (const child of node.children) {
    const found = findNode(child, code);
    if (found) return found;
  }
  return undefined;
}

describe('reference structure: five regions to seven (1 April 2019), STPs to ICBs (1 July 2022)', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase('migrated');
    expect(await ensureReferenceStructure(handle.db)).toEqual({ loaded: true });
  });
  afterAll(async () => handle.close());

  it('has the five regions the day before the 2019 restructure, each with its systems', async () => {
    const { root } = await getTreeAt(handle.db, { asAt: '2019-03-31' });
    expect(childCodes(root)).toEqual(['Y54', 'Y55', 'Y56', 'Y58', 'Y59']);
    const systems = root.children.flatMap((region) => region.children);
    expect(systems).toHaveLength(42);
    expect(systems.every((system) => system.organisation.kind === 'stp')).toBe(true);
    expect(findNode(root, 'Y54')?.children.map((c) => c.organisation.odsCode)).toContain('QE1');
  });

  it('has the seven regions on and after 1 April 2019, with the same 42 systems', async () => {
    for (const asAt of ['2019-04-01', '2020-06-15']) {
      const { root } = await getTreeAt(handle.db, { asAt });
      expect(childCodes(root)).toEqual(['Y56', 'Y58', 'Y59', 'Y60', 'Y61', 'Y62', 'Y63']);
      expect(root.children.flatMap((region) => region.children)).toHaveLength(42);
    }
    const path = await getPathAt(handle.db, 'QE1', '2019-04-01');
    expect(path.map((o) => o.odsCode)).toEqual(['X24', 'Y62', 'QE1']);
    const before = await getPathAt(handle.db, 'QE1', '2019-03-31');
    expect(before.map((o) => o.odsCode)).toEqual(['X24', 'Y54', 'QE1']);
  });

  it('keeps London, South East and South West unchanged across 2019', async () => {
    const before = await getPathAt(handle.db, 'QKK', '2019-03-31');
    const after = await getPathAt(handle.db, 'QKK', '2019-04-01');
    expect(before.map((o) => o.odsCode)).toEqual(['X24', 'Y56', 'QKK']);
    expect(after.map((o) => o.odsCode)).toEqual(['X24', 'Y56', 'QKK']);
  });

  it('turns each STP/ICS into its ICB on 1 July 2022, keeping the ODS code', async () => {
    const [stp] = (await getPathAt(handle.db, 'QJK', '2022-06-30')).slice(-1);
    const [icb] = (await getPathAt(handle.db, 'QJK', '2022-07-01')).slice(-1);
    expect(stp).toMatchObject({ odsCode: 'QJK', kind: 'stp', name: 'Devon STP/ICS' });
    expect(icb).toMatchObject({ odsCode: 'QJK', kind: 'icb', name: 'NHS Devon Integrated Care Board' });
    const { root, counts } = await getTreeAt(handle.db, { asAt: '2022-07-01' });
    expect(counts).toMatchObject({ 'national-body': 1, region: 7, icb: 42 });
    expect(counts.stp).toBeUndefined();
    expect(findNode(root, 'Y63')?.children).toHaveLength(4);
  });

  it('loads once: a second call records nothing', async () => {
    const events = await countHierarchyEvents(handle.db);
    expect(await ensureReferenceStructure(handle.db)).toEqual({ loaded: false });
    expect(await countHierarchyEvents(handle.db)).toBe(events);
  });
});
