import type { Executor } from '../src/db/database.js';
import { systemActor } from '../src/domain/audit.js';
import type { TrustSector } from '../src/domain/organisation.js';
import {
  openOrganisation,
  type ChangeContext,
  type NewOrganisation,
} from '../src/services/hierarchy.service.js';

export const testContext: ChangeContext = { source: 'test', provenance: 'manual', actor: systemActor };

let sequence = 0;

/** A new 5-character ODS-style code no real trust uses, so tests never collide with reference data. */
export function nextTestCode(prefix = 'T'): string {
  sequence += 1;
  return `${prefix}${String(sequence).padStart(4, '0')}`.slice(0, 10);
}

/** Opens an NHS trust under an ICB (default: South East London, QKK), with overrides. */
export async function buildTrust(
  ex: Executor,
  overrides: Partial<NewOrganisation> & { date?: string; sector?: TrustSector | null } = {},
): Promise<string> {
  const odsCode = overrides.odsCode ?? nextTestCode();
  await openOrganisation(ex, testContext, {
    odsCode,
    name: overrides.name ?? `Test ${odsCode} NHS Trust`,
    kind: overrides.kind ?? 'nhs-trust',
    sector: overrides.sector === undefined ? 'acute' : overrides.sector,
    postcode: overrides.postcode ?? null,
    parentCode: overrides.parentCode ?? 'QKK',
    date: overrides.date ?? '2018-04-01',
    reason: 'Test organisation',
  });
  return odsCode;
}
