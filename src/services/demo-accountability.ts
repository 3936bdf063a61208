import type { Db } from '../db/database.js';
import type { IsoDate } from '../domain/iso-date.js';
import { loadDemoGovernance } from './demo-governance.js';
import { loadDemoInterventions } from './demo-interventions.js';
import { loadDemoMutualAid } from './demo-mutual-aid.js';
import { loadDemoProgrammes } from './demo-programmes.js';
import { loadDemoStandards } from './demo-standards.js';

/** How much of each accountability record the demo holds. */
export interface DemoAccountabilitySummary {
  programmes: number;
  standards: number;
  interventions: number;
  governance: number;
  mutualAid: number;
}

/**
 * The demo's accountability records, in the order they link to each other: programmes and standards
 * first, then interventions (triggered by the demo's signals, leading to programmes), governance
 * decisions (naming all three) and mutual aid (some raised by an intervention).
 */
export async function loadDemoAccountability(db: Db, today: IsoDate): Promise<DemoAccountabilitySummary> {
  const programmes = await loadDemoProgrammes(db, today);
  const standards = await loadDemoStandards(db, today);
  const interventions = await loadDemoInterventions(db, today);
  const governance = await loadDemoGovernance(db, today);
  const mutualAid = await loadDemoMutualAid(db, today);
  return { programmes, standards, interventions, governance, mutualAid };
}
