import { systemActor } from '../domain/audit.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { countHierarchyEvents } from '../db/hierarchy-event.repository.js';
import { countSuccessions } from '../db/succession.repository.js';
import { AppError } from '../domain/errors.js';
import type { OrganisationTreeNode } from '../domain/organisation-tree.js';
import { csvSourceFromPath, readCsv } from '../import/csv-file.js';
import { parseOdsFile } from '../import/ods-files.js';
import { createTestDatabase } from '../../test/test-database.js';
import { hasSharedData, sharedDataPath } from '../../test/shared-data.js';
import { getOrganisationProfile, getPathAt, getTreeAt, resolveAsNow } from './hierarchy-query.service.js';
import { importOdsFiles } from './ods-import.service.js';

const files = ['regions.csv', 'icbs.csv', 'trusts.csv', 'ods_successors.csv'];
const extractDate = '2021-11-30';

function flatten(
  node: OrganisationTreeNode,
  parent: string | null = null,
): Array<{ code: string; kind: string; parent: string | null }> {
  return [
    { code: node.organisation.odsCode, kind: node.organisation.kind, parent },
    ...node.children.flatMap((child) => flatten(child, node.organisation.odsCode)),
  ];
}

async function parseAll(names: string[]) {
  return Promise.all(names.map((name) => parseOdsFile(csvSourceFromPath(sharedDataPath(name)))));
}

describe.skipIf(!hasSharedData(...files))('ODS import of the published reference files', () => {
  let handle: DatabaseHandle;
  let firstSummary: Awaited<ReturnType<typeof importOdsFiles>>;

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    firstSummary = await importOdsFiles(handle.db, await parseAll(files), {
      effectiveDate: extractDate,
      actor: systemActor,
    });
  });
  afterAll(async () => handle?.close());

  it('gives 7 regions, 42 ICBs and every English trust under exactly one ICB, as the file says', async () => {
    const raw = await readCsv(csvSourceFromPath(sharedDataPath('trusts.csv')));
    const english = raw.rows.filter((row) => row.cells.region_code !== 'W00');
    const openOnExtract = english.filter(
      (row) => !row.cells.close_date || row.cells.close_date >= extractDate,
    );

    const { root, counts } = await getTreeAt(handle.db, { asAt: extractDate });
    expect(counts.region).toBe(7);
    expect(counts.stp).toBe(42);
    const nodes = flatten(root);
    const trusts = nodes.filter((node) => node.kind === 'nhs-trust');
    expect(trusts).toHaveLength(openOnExtract.length);
    expect(new Set(trusts.map((t) => t.code)).size).toBe(trusts.length);
    const parentOf = new Map(trusts.map((t) => [t.code, t.parent]));
    for (const row of openOnExtract) expect(parentOf.get(row.cells.org_code ?? '')).toBe(row.cells.icb_code);

    const trustsSummary = firstSummary.files.find((f) => f.kind === 'trusts');
    expect(trustsSummary?.opened).toBe(english.length);
    expect(trustsSummary?.skipped).toEqual([
      expect.objectContaining({
        reason: expect.stringContaining('Wales'),
        count: raw.rows.length - english.length,
      }),
    ]);
  });

  it('places the trusts in ICBs that became ICBs on 1 July 2022 and in the seven regions', async () => {
    const path = await getPathAt(handle.db, 'RJZ', '2023-01-01');
    expect(path.map((o) => `${o.odsCode}:${o.kind}`)).toEqual([
      'X24:national-body',
      'Y56:region',
      'QKK:icb',
      'RJZ:nhs-trust',
    ]);
    const before2019 = await getPathAt(handle.db, 'R0A', '2019-03-31');
    expect(before2019.map((o) => o.odsCode)).toEqual(['X24', 'Y54', 'QOP', 'R0A']);
  });

  it('keeps both predecessors of a merger reachable (RD3 + RDZ → R0D, 1 October 2020)', async () => {
    const before = (await getTreeAt(handle.db, { asAt: '2020-09-30', rootCode: 'QVV' })).root;
    const after = (await getTreeAt(handle.db, { asAt: '2020-10-01', rootCode: 'QVV' })).root;
    const codes = (n: OrganisationTreeNode) => n.children.map((c) => c.organisation.odsCode);
    expect(codes(before)).toEqual(expect.arrayContaining(['RD3', 'RDZ']));
    expect(codes(before)).not.toContain('R0D');
    expect(codes(after)).toContain('R0D');
    expect(codes(after)).not.toContain('RD3');

    const r0d = await getOrganisationProfile(handle.db, 'R0D', '2021-01-01');
    const immediate = r0d.predecessors.filter((s) => s.successorCode === 'R0D');
    expect(immediate.map((s) => s.predecessorCode).sort()).toEqual(['RD3', 'RDZ']);
    // The chain goes on back: ODS records RD3 and RDZ themselves as successors of JA1 and JA2 in 1992.
    expect(r0d.predecessors.map((s) => s.predecessorCode)).toEqual(expect.arrayContaining(['JA1', 'JA2']));
    const rd3 = await getOrganisationProfile(handle.db, 'RD3', '2019-01-01');
    expect(rd3.existedOnDate).toBe(true);
    expect(rd3.path.map((o) => o.odsCode)).toEqual(['X24', 'Y58', 'QVV', 'RD3']);
    expect(rd3.successors).toEqual([
      expect.objectContaining({ successorCode: 'R0D', effectiveDate: '2020-10-01' }),
    ]);

    const asNow = await resolveAsNow(handle.db, 'RD3', '2024-01-01');
    expect(asNow.resolution.status).toBe('succeeded');
    expect(asNow.current[0]?.path.map((o) => o.odsCode)).toEqual(['X24', 'Y58', 'QVV', 'R0D']);
  });

  it("follows chains and splits to today's organisations", async () => {
    const split = await resolveAsNow(handle.db, 'RW6', '2024-01-01');
    expect(split.resolution.status).toBe('split');
    expect(split.resolution.currentCodes).toEqual(['R0A', 'RM3']);
    // RQ8 (Mid Essex) is not in the 2021 extract: only the successor file knows it became part of RAJ.
    const chain = await resolveAsNow(handle.db, 'RQ8', '2024-01-01');
    expect(chain.current.map((c) => c.path.map((o) => o.odsCode))).toEqual([['X24', 'Y61', 'QH8', 'RAJ']]);
  });

  it('closes trusts the successor file records as acquired after the extract (RVY → RBN, 1 July 2023)', async () => {
    const rvy = await getOrganisationProfile(handle.db, 'RVY', '2024-01-01');
    expect(rvy.existedOnDate).toBe(false);
    expect(rvy.organisation.validTo).toBe('2023-07-01');
  });

  it('keeps the April 2026 ICB mergers pending: the new ICBs are codes without organisations here', async () => {
    const successors = firstSummary.files.find((f) => f.kind === 'successors');
    expect(successors?.pendingSuccessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          predecessorCode: 'QH8',
          successorCode: 'D7T5G',
          effectiveDate: '2026-04-01',
        }),
      ]),
    );
    const qh8 = await getPathAt(handle.db, 'QH8', '2026-06-01');
    expect(qh8.map((o) => o.odsCode)).toEqual(['X24', 'Y61', 'QH8']);
  });

  it('changes nothing when the same files are imported again', async () => {
    const events = await countHierarchyEvents(handle.db);
    const successions = await countSuccessions(handle.db);
    const again = await importOdsFiles(handle.db, await parseAll([...files].reverse()), {
      effectiveDate: extractDate,
      actor: systemActor,
    });
    expect(again.eventsRecorded).toBe(0);
    for (const file of again.files) {
      expect(
        file.opened +
          file.closed +
          file.revised +
          file.reparented +
          file.successionsRecorded +
          file.referenceSuccessions,
      ).toBe(0);
    }
    expect(await countHierarchyEvents(handle.db)).toBe(events);
    expect(await countSuccessions(handle.db)).toBe(successions);
  });
});

describe('bad ODS files are refused whole', () => {
  let handle: DatabaseHandle;
  let dir: string;
  const header = 'org_code,name,region_code,region_name,icb_code,icb_name,postcode,open_date,close_date';
  const good =
    'RZZ01,Good Example NHS Trust,Y56,London,QKK,NHS South East London Integrated Care Board,SE1 1AA,2001-04-01,';

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    dir = mkdtempSync(join(tmpdir(), 'oversight-bad-ods-'));
  });
  afterAll(async () => handle?.close());

  async function refusal(name: string, content: string | Buffer): Promise<AppError> {
    const path = join(dir, name);
    writeFileSync(path, content);
    const events = await countHierarchyEvents(handle.db);
    let caught: unknown;
    try {
      const parsed = await parseOdsFile(csvSourceFromPath(path));
      await importOdsFiles(handle.db, [parsed], { effectiveDate: '2021-11-30', actor: systemActor });
    } catch (error) {
      caught = error;
    }
    expect(await countHierarchyEvents(handle.db)).toBe(events);
    expect(caught).toBeInstanceOf(AppError);
    return caught as AppError;
  }

  it('refuses a file with missing columns, naming them', async () => {
    const error = await refusal('missing.csv', 'org_code,name,region_code,icb_code\nRZZ01,X,Y56,QKK\n');
    expect(error.code).toBe('invalid-file');
    expect(error.problems[0]).toMatchObject({ file: 'missing.csv', row: 1 });
    expect(error.problems[0]?.message).toContain('postcode, open_date, close_date');
  });

  it('refuses duplicate codes, naming both rows, and stores none of the good rows', async () => {
    const error = await refusal('dupes.csv', `${header}\n${good}\n${good}\n`);
    expect(error.problems).toEqual([
      expect.objectContaining({ row: 3, message: expect.stringContaining('rows 2 and 3') }),
    ]);
  });

  it('refuses malformed dates and codes with row and column', async () => {
    const bad =
      'RZZ02,Bad Date NHS Trust,Y56,London,QKK,x,SE1 1AA,2001-13-01,\nrzz 3,Bad Code,Y56,London,QKK,x,,2001-04-01,';
    const error = await refusal('dates.csv', `${header}\n${good}\n${bad}\n`);
    expect(error.problems).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'open_date',
        message: expect.stringContaining('2001-13-01'),
      }),
      expect.objectContaining({ row: 4, column: 'org_code' }),
    ]);
  });

  it('refuses an unknown ICB code before storing anything', async () => {
    const unknown = 'RZZ04,Lost NHS Trust,Y56,London,QZZ,x,,2001-04-01,';
    const error = await refusal('unknown.csv', `${header}\n${good}\n${unknown}\n`);
    expect(error.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'icb_code', message: expect.stringContaining('QZZ') }),
    ]);
  });

  it('refuses a trust whose region does not match its ICB', async () => {
    const wrong = 'RZZ05,Misplaced NHS Trust,Y62,North West,QKK,x,,2001-04-01,';
    const error = await refusal('region.csv', `${header}\n${wrong}\n`);
    expect(error.problems[0]).toMatchObject({ row: 2, column: 'region_code' });
  });

  it('refuses a file that is not UTF-8', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${header}\n`),
      Buffer.from('RZZ06,Caf\xe9 NHS Trust,Y56,London,QKK,x,,2001-04-01,\n', 'latin1'),
    ]);
    const error = await refusal('latin1.csv', latin1);
    expect(error.message).toContain('not UTF-8');
  });

  it('refuses a file whose header it does not recognise', async () => {
    const error = await refusal('other.csv', 'period,org_code,attendances\n2020-01-01,RJZ,1\n');
    expect(error.message).toContain('Could not tell');
  });

  it('refuses a row with a different number of cells', async () => {
    const error = await refusal('ragged.csv', `${header}\n${good}\nRZZ07,Short\n`);
    expect(error.problems[0]).toMatchObject({ row: 3 });
  });
});
