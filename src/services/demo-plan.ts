import type { IsoDate } from '../domain/iso-date.js';
import {
  icbEstablishmentDate,
  referenceHistoryStart,
  referenceRegions,
  referenceSystems,
} from '../domain/nhs-england-structure.js';
import type { OrganisationKind, TrustSector } from '../domain/organisation.js';
import { demoPostcode } from './mutual-aid-demo-postcodes.js';

/**
 * The generated demonstration dataset: invented trusts, CCGs, practices and independent providers
 * under the real regions and ICBs, with mergers, acquisitions, a split, renames and moves, plus the
 * CCGs' absorption into ICBs on 1 July 2022. Deterministic for a seed, so every run and every test
 * sees the same organisations. Codes start with Z, which no real English trust or ICB uses.
 */

export type DemoOperation =
  | {
      op: 'open';
      date: IsoDate;
      odsCode: string;
      name: string;
      kind: OrganisationKind;
      sector: TrustSector | null;
      postcode: string | null;
      parentCode: string;
      parentFrom?: IsoDate;
    }
  | { op: 'merge'; date: IsoDate; predecessorCodes: string[]; successor: DemoNewOrganisation; reason: string }
  | { op: 'absorb'; date: IsoDate; predecessorCodes: string[]; acquirerCode: string; reason: string }
  | { op: 'split'; date: IsoDate; odsCode: string; successors: DemoNewOrganisation[]; reason: string }
  | { op: 'rename'; date: IsoDate; odsCode: string; name: string; reason: string }
  | { op: 'reparent'; date: IsoDate; odsCode: string; parentCode: string; reason: string }
  | { op: 'role'; date: IsoDate; odsCode: string; holderName: string; reason: string };

export interface DemoNewOrganisation {
  odsCode: string;
  name: string;
  kind: OrganisationKind;
  sector: TrustSector | null;
  parentCode: string;
}

/** A small, well-known PRNG (mulberry32): the same seed always gives the same dataset. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const placeStems = [
  'Ashby',
  'Brackley',
  'Caldmoor',
  'Dunhallow',
  'Elmbridge',
  'Fenwold',
  'Glenholme',
  'Hartwell',
  'Ivybeck',
  'Kelmscot',
  'Larkfield',
  'Marlcombe',
  'Northmere',
  'Oakhurst',
  'Pendleford',
  'Quarrydale',
  'Rosewick',
  'Selbourne',
  'Thornbury Vale',
  'Ulverdale',
  'Vernham',
  'Wyndmoor',
  'Yarrowby',
  'Aldwick',
  'Bramhope',
  'Copperfield',
  'Dalesworth',
  'Eastleigh Moor',
  'Fairhaven',
  'Greystoke Vale',
  'Hollinsbrook',
  'Ingleford',
  'Kingsmere',
  'Lindenholt',
  'Millbrook Cross',
  'Netherwood',
  'Orchard Vale',
  'Pinecliff',
  'Redmarsh',
  'Silverdale Moor',
  'Tamberley',
  'Upwood',
  'Westcombe',
  'Amberleigh',
  'Birchwood',
  'Cresswold',
  'Dovecote',
  'Emberton',
  'Foxhollow',
  'Gorsley',
  'Hazelmere',
  'Juniper Cross',
  'Kestrel Bay',
  'Lowmoor',
  'Meadowgate',
  'Newbarrow',
  'Oldcastle Moor',
  'Primrose Hill Vale',
  'Ravensmoor',
  'Stonebridge',
  'Thistlewood',
  'Underhill',
];
const givenNames = [
  'Alex',
  'Sam',
  'Jordan',
  'Priya',
  'Morgan',
  'Chidi',
  'Fatima',
  'Rhys',
  'Aisha',
  'Tom',
  'Mei',
  'Oluwaseun',
];
const familyNames = [
  'Ashcroft',
  'Bennett',
  'Chowdhury',
  'Dalton',
  'Evans',
  'Fraser',
  'Gupta',
  'Hughes',
  'Iqbal',
  'Jones',
];

const codeAlphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

class CodeMaker {
  private counters = new Map<string, number>();
  next(prefix: string, length: number): string {
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    let suffix = '';
    let value = n;
    for (let i = 0; i < length - prefix.length; i += 1) {
      suffix = (codeAlphabet[value % codeAlphabet.length] ?? '0') + suffix;
      value = Math.floor(value / codeAlphabet.length);
    }
    return `${prefix}${suffix}`;
  }
}

export interface DemoPlan {
  seed: number;
  operations: DemoOperation[];
}

/** Builds the demo plan; operations are in date order and apply cleanly to the reference structure. */
export function generateDemoPlan(seed = 2019): DemoPlan {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const codes = new CodeMaker();
  const usedPlaces = new Set<string>();
  const place = () => {
    for (;;) {
      const candidate = `${pick(placeStems)}`;
      const name = usedPlaces.has(candidate) ? `${candidate} and ${pick(placeStems)}` : candidate;
      if (!usedPlaces.has(name)) {
        usedPlaces.add(name);
        return name;
      }
    }
  };
  const operations: DemoOperation[] = [];
  const open = (
    date: IsoDate,
    odsCode: string,
    name: string,
    kind: OrganisationKind,
    sector: TrustSector | null,
    parentCode: string,
    parentFrom?: IsoDate,
  ) =>
    operations.push({
      op: 'open',
      date,
      odsCode,
      name,
      kind,
      sector,
      // Trusts get a plausible postcode in their ICB's area, so mutual aid can rank them by distance.
      postcode: kind === 'nhs-trust' ? demoPostcode(odsCode, parentCode) : null,
      parentCode,
      ...(parentFrom ? { parentFrom } : {}),
    });

  for (const region of referenceRegions) {
    operations.push({
      op: 'role',
      date: region.validFrom,
      odsCode: region.code,
      holderName: `${pick(givenNames)} ${pick(familyNames)}`,
      reason: 'Regional director appointed (generated name).',
    });
  }

  const trustsBySystem = new Map<string, Array<{ code: string; sector: TrustSector; name: string }>>();
  const ambulanceHosts = new Map<string, string>();
  for (const system of referenceSystems) {
    const members: Array<{ code: string; sector: TrustSector; name: string }> = [];
    const acuteCount = between(1, 3);
    for (let i = 0; i < acuteCount; i += 1) {
      const name = `${place()} Hospitals NHS Trust`;
      members.push({ code: codes.next('Z', 3), sector: 'acute', name });
    }
    members.push({
      code: codes.next('Z', 3),
      sector: 'mental-health',
      name: `${place()} Mental Health NHS Trust`,
    });
    if (random() < 0.6) {
      members.push({
        code: codes.next('Z', 3),
        sector: 'community',
        name: `${place()} Community Health Services NHS Trust`,
      });
    }
    if (random() < 0.2) {
      members.push({
        code: codes.next('Z', 3),
        sector: 'specialist',
        name: `${place()} Specialist Hospital NHS Trust`,
      });
    }
    if (!ambulanceHosts.has(system.regionCode)) {
      ambulanceHosts.set(system.regionCode, system.code);
      members.push({
        code: codes.next('Z', 3),
        sector: 'ambulance',
        name: `${place()} Ambulance Service NHS Trust`,
      });
    }
    // Most trusts predate the reference history; they join their system when it starts.
    for (const member of members) {
      const openDate = random() < 0.85 ? '2001-04-01' : referenceHistoryStart;
      open(
        openDate,
        member.code,
        member.name,
        'nhs-trust',
        member.sector,
        system.code,
        referenceHistoryStart,
      );
    }
    trustsBySystem.set(system.code, members);

    const ccgCount = between(1, 3);
    for (let c = 0; c < ccgCount; c += 1) {
      const ccg = codes.next('ZC', 5);
      open(referenceHistoryStart, ccg, `NHS ${place()} CCG`, 'ccg', null, system.code);
      for (let p = 0; p < between(2, 5); p += 1) {
        open(referenceHistoryStart, codes.next('ZP', 6), `${place()} Surgery`, 'gp-practice', null, ccg);
      }
    }
    if (random() < 0.3) {
      open(
        '2017-04-01',
        codes.next('ZN', 5),
        `${place()} Treatment Centre Ltd`,
        'independent-provider',
        null,
        system.code,
      );
    }
  }

  // Restructures among the generated trusts: mergers, acquisitions, a split, renames and a move.
  const systems = [...trustsBySystem.entries()].filter(
    ([, members]) => members.filter((m) => m.sector === 'acute').length >= 2,
  );
  const changed = new Set<string>();
  const mergeDates = ['2017-10-01', '2018-04-01', '2020-04-01', '2021-04-01', '2023-04-01', '2024-07-01'];
  for (const date of mergeDates) {
    const [systemCode, members] = pick(systems);
    const acute = members.filter((m) => m.sector === 'acute' && !changed.has(m.code));
    if (acute.length < 2) continue;
    const [a, b] = acute as [(typeof acute)[0], (typeof acute)[0]];
    changed.add(a.code).add(b.code);
    if (random() < 0.5) {
      const successor = codes.next('Z', 3);
      changed.add(successor);
      operations.push({
        op: 'merge',
        date,
        predecessorCodes: [a.code, b.code],
        successor: {
          odsCode: successor,
          name: `${place()} University Hospitals NHS Foundation Trust`,
          kind: 'nhs-trust',
          sector: 'acute',
          parentCode: systemCode,
        },
        reason: 'Merger of two acute trusts to form a new trust (generated).',
      });
    } else {
      operations.push({
        op: 'absorb',
        date,
        predecessorCodes: [b.code],
        acquirerCode: a.code,
        reason: 'Acquisition by a neighbouring acute trust (generated).',
      });
    }
  }

  const community = [...trustsBySystem.entries()].flatMap(([systemCode, members]) =>
    members
      .filter((m) => m.sector === 'community' && !changed.has(m.code))
      .map((m) => ({ systemCode, ...m })),
  );
  const toSplit = community[0];
  if (toSplit) {
    changed.add(toSplit.code);
    operations.push({
      op: 'split',
      date: '2022-04-01',
      odsCode: toSplit.code,
      successors: [0, 1].map(() => ({
        odsCode: codes.next('Z', 3),
        name: `${place()} Community Health Services NHS Trust`,
        kind: 'nhs-trust' as const,
        sector: 'community' as const,
        parentCode: toSplit.systemCode,
      })),
      reason: 'Community services divided between two new trusts (generated).',
    });
  }

  const renameCandidates = [...trustsBySystem.values()].flat().filter((m) => !changed.has(m.code));
  for (let i = 0; i < 8 && renameCandidates.length > 0; i += 1) {
    const member = renameCandidates.splice(Math.floor(random() * renameCandidates.length), 1)[0];
    if (!member) break;
    operations.push({
      op: 'rename',
      date: pick(['2017-04-01', '2018-10-01', '2019-07-01', '2020-10-01', '2021-12-01', '2023-01-01']),
      odsCode: member.code,
      name: member.name.replace(/NHS Trust$/, 'NHS Foundation Trust'),
      reason: 'Authorised as an NHS foundation trust (generated).',
    });
  }

  const mover = renameCandidates.find((m) => m.sector === 'mental-health');
  const moverSystem = mover
    ? [...trustsBySystem.entries()].find(([, members]) => members.includes(mover))?.[0]
    : undefined;
  const destination = referenceSystems.find(
    (s) =>
      s.code !== moverSystem &&
      s.regionCode === referenceSystems.find((r) => r.code === moverSystem)?.regionCode,
  );
  if (mover && destination) {
    operations.push({
      op: 'reparent',
      date: '2023-04-01',
      odsCode: mover.code,
      parentCode: destination.code,
      reason: 'Host ICB changed after a boundary review (generated).',
    });
  }

  // CCGs closed on 1 July 2022, their functions and practices passing to the ICB.
  for (const operation of [...operations]) {
    if (operation.op === 'open' && operation.kind === 'ccg') {
      operations.push({
        op: 'absorb',
        date: icbEstablishmentDate,
        predecessorCodes: [operation.odsCode],
        acquirerCode: operation.parentCode,
        reason: 'Health and Care Act 2022: CCGs abolished; functions passed to the integrated care board.',
      });
    }
  }

  const order = (operation: DemoOperation) => (operation.op === 'open' ? 0 : operation.op === 'role' ? 1 : 2);
  operations.sort((a, b) => a.date.localeCompare(b.date) || order(a) - order(b));
  return { seed, operations };
}
