import type { TrustSector } from './organisation.js';

/**
 * The ODS trust extract does not state a trust's sector. When a file has no `sector` column the import
 * derives one from the name, and only where the name makes it plain; otherwise the sector stays
 * unknown (null) rather than guessed. Specialist trusts cannot be told from their names, so they are
 * listed by ODS code (public facts: single-specialty or national specialist trusts).
 */
const specialistTrustCodes = new Set([
  'RAN', // Royal National Orthopaedic Hospital
  'RBQ', // Liverpool Heart and Chest Hospital
  'RBS', // Alder Hey Children's
  'RBV', // The Christie
  'RCU', // Sheffield Children's
  'REN', // The Clatterbridge Cancer Centre
  'REP', // Liverpool Women's
  'RET', // The Walton Centre
  'RGM', // Royal Papworth Hospital
  'RL1', // The Robert Jones and Agnes Hunt Orthopaedic Hospital
  'RP4', // Great Ormond Street Hospital for Children
  'RP6', // Moorfields Eye Hospital
  'RPC', // Queen Victoria Hospital
  'RPY', // The Royal Marsden
  'RQ3', // Birmingham Women's and Children's
  'RRJ', // The Royal Orthopaedic Hospital
  'RT3', // Royal Brompton and Harefield
]);

const nameRules: Array<[RegExp, TrustSector]> = [
  [/\bambulance\b/i, 'ambulance'],
  [/\bmental health\b|\bpsychiatric\b|\bmental\b/i, 'mental-health'],
  [/\bcommunity (health|healthcare|services)\b|\bcommunity nhs\b/i, 'community'],
  [/\bhospitals?\b|\bteaching hospitals?\b|\bacute\b/i, 'acute'],
];

export function deriveTrustSector(odsCode: string, name: string): TrustSector | null {
  if (specialistTrustCodes.has(odsCode)) return 'specialist';
  for (const [pattern, sector] of nameRules) {
    if (pattern.test(name)) return sector;
  }
  return null;
}
