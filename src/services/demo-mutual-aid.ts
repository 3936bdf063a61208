import type { Db } from '../db/database.js';
import { listAidCandidates, listOpenInterventionsOf } from '../db/mutual-aid.repository.js';
import { findOrganisationByCode } from '../db/organisation.repository.js';
import type { Principal } from '../domain/access.js';
import type { Actor } from '../domain/audit.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';
import type { AidCandidateOrganisation } from '../domain/mutual-aid.js';
import { addMonths, periodContaining } from '../domain/period.js';
import {
  agreeAidMatch,
  completeAid,
  makeAidOffer,
  pressureMetricCode,
  proposeAidMatch,
  raiseAidRequest,
  recordAidDelivery,
  startAid,
  withdrawAid,
  type AidCaller,
} from './mutual-aid.service.js';

/**
 * The demo's mutual aid: requests and offers among the generated acute trusts of London and the North West,
 * through every step of the lifecycle (requested, matched, agreed, in progress, completed, withdrawn), through
 * the same use-cases as real aid. Reasons say they are demonstration content; a request is linked to an open
 * intervention when the demo has one, and to the month's occupancy signal.
 */

const demoPrincipal: Principal = {
  kind: 'user',
  userId: 0,
  label: 'NHS Oversight (demo)',
  isAdmin: false,
  grants: [{ role: 'national-director', scopeOrganisationId: null }],
  functions: [],
};
const demoActor: Actor = { kind: 'system', id: 'demo', label: 'NHS Oversight (demo)' };
const demo: AidCaller = { principal: demoPrincipal, actor: demoActor };

export async function loadDemoMutualAid(db: Db, today: IsoDate): Promise<number> {
  const since = addMonths(periodContaining('month', today).start, -3);
  const trusts = await listAidCandidates(db, today, { metricCode: pressureMetricCode, since });
  const inRegion = async (code: string) => {
    const region = await findOrganisationByCode(db, code);
    return trusts
      .filter((t) => t.regionId === region?.id && t.sector === 'acute' && t.odsCode.startsWith('Z'))
      .sort((a, b) => a.odsCode.localeCompare(b.odsCode));
  };
  const london = await inRegion('Y56');
  const northWest = await inRegion('Y62');
  if (london.length < 6 || northWest.length < 4) return 0;
  const lastMonth = addMonths(periodContaining('month', today).start, -1);
  const interventions = await listOpenInterventionsOf(
    db,
    [...london, ...northWest].map((t) => t.id),
  );
  let added = 0;

  const ask = async (
    requester: AidCandidateOrganisation,
    need: { kind: string; detail: string; unit: string; quantity: number; urgency: string; reason: string },
    dates: { from: number; to: number },
  ) => {
    const intervention = interventions.find((i) => i.organisationId === requester.id);
    const request = await raiseAidRequest(
      db,
      demo,
      {
        requester: requester.odsCode,
        ...need,
        reason: `${need.reason} (Demonstration request.)`,
        neededFrom: addDays(today, dates.from),
        neededTo: addDays(today, dates.to),
        interventionId: need.kind === 'beds' && intervention ? intervention.id : null,
        signal: need.kind === 'beds' ? { metric: 'ga_occupancy', period: lastMonth } : null,
      },
      today,
    );
    added += 1;
    return request.id;
  };
  const offer = async (
    provider: AidCandidateOrganisation,
    what: { kind: string; detail: string; unit: string; quantity: number },
    notes: string,
  ) => {
    const made = await makeAidOffer(
      db,
      demo,
      {
        provider: provider.odsCode,
        ...what,
        availableFrom: addDays(today, -7),
        availableTo: addDays(today, 60),
        notes: `${notes} (Demonstration offer.)`,
      },
      today,
    );
    added += 1;
    return made.id;
  };
  const agreeBoth = async (matchId: number, requester: string, provider: string) => {
    await agreeAidMatch(db, demo, matchId, requester, today);
    await agreeAidMatch(db, demo, matchId, provider, today);
  };
  const [l1, l2, l3, l4, l5, l6] = london as [
    AidCandidateOrganisation,
    AidCandidateOrganisation,
    AidCandidateOrganisation,
    AidCandidateOrganisation,
    AidCandidateOrganisation,
    AidCandidateOrganisation,
  ];
  const [n1, n2, n3, n4] = northWest as [
    AidCandidateOrganisation,
    AidCandidateOrganisation,
    AidCandidateOrganisation,
    AidCandidateOrganisation,
  ];
  const criticalCare = { kind: 'beds', detail: 'adult-critical-care', unit: 'beds' };

  // In progress: critical care beds from two offers (partial fulfilment), some already delivered.
  const o1 = await offer(
    l2,
    { ...criticalCare, quantity: 4 },
    'Step-down unit reopened after refurbishment.',
  );
  const o2 = await offer(l3, { ...criticalCare, quantity: 4 }, 'Two consultant-led beds with transfer team.');
  const surge = await ask(
    l1,
    {
      ...criticalCare,
      quantity: 6,
      urgency: 'critical',
      reason: 'Adult critical care at 100% for nine days after a respiratory surge.',
    },
    { from: -10, to: 20 },
  );
  let view = await proposeAidMatch(db, demo, surge, { offerId: o1, quantity: 4 }, today);
  view = await proposeAidMatch(db, demo, surge, { offerId: o2, quantity: 2 }, today);
  for (const m of view.matches) await agreeBoth(m.id, l1.odsCode, m.provider.odsCode);
  view = await startAid(db, demo, surge, today);
  const firstMatch = view.matches[0];
  if (firstMatch) await recordAidDelivery(db, demo, firstMatch.id, 3, today);

  // Matched: elective orthopaedics proposed to a neighbour, awaiting both boards.
  const ortho = await ask(
    l4,
    {
      kind: 'elective',
      detail: 'trauma-orthopaedics',
      unit: 'patients',
      quantity: 40,
      urgency: 'urgent',
      reason: 'Theatre refurbishment: hip and knee patients waiting over 52 weeks.',
    },
    { from: 7, to: 90 },
  );
  await proposeAidMatch(db, demo, ortho, { provider: l5.odsCode, quantity: 25 }, today);

  // Agreed by both, not yet started: MRI capacity.
  const mri = await ask(
    l2,
    {
      kind: 'diagnostics',
      detail: 'mri',
      unit: 'tests',
      quantity: 120,
      urgency: 'routine',
      reason: 'Scanner replacement for six weeks.',
    },
    { from: 14, to: 56 },
  );
  view = await proposeAidMatch(db, demo, mri, { provider: l6.odsCode, quantity: 120 }, today);
  if (view.matches[0]) await agreeBoth(view.matches[0].id, l2.odsCode, l6.odsCode);

  // Requested, nothing matched yet: expertise to build urgent care flow.
  await ask(
    l3,
    {
      kind: 'expertise',
      detail: 'urgent-care-flow',
      unit: 'days',
      quantity: 10,
      urgency: 'urgent',
      reason: 'Support to develop same-day emergency care after a 4-hour performance decline.',
    },
    { from: 0, to: 120 },
  );

  // Completed with partial delivery: registered nurses.
  const nurses = await ask(
    l5,
    {
      kind: 'staff',
      detail: 'registered-nurses',
      unit: 'wte',
      quantity: 8,
      urgency: 'urgent',
      reason: 'Winter ward opening short of nurses.',
    },
    { from: -30, to: 0 },
  );
  view = await proposeAidMatch(db, demo, nurses, { provider: l1.odsCode, quantity: 8 }, today);
  if (view.matches[0]) {
    await agreeBoth(view.matches[0].id, l5.odsCode, l1.odsCode);
    await startAid(db, demo, nurses, today);
    await recordAidDelivery(db, demo, view.matches[0].id, 6, today);
    await completeAid(db, demo, nurses, 'Ward opened; two posts filled by agency instead.', today);
  }

  // Withdrawn: ventilators no longer needed.
  const vents = await ask(
    l6,
    {
      kind: 'equipment',
      detail: 'ventilators',
      unit: 'items',
      quantity: 5,
      urgency: 'critical',
      reason: 'Medical gas fault on the respiratory ward.',
    },
    { from: 0, to: 14 },
  );
  await proposeAidMatch(db, demo, vents, { provider: l4.odsCode, quantity: 5 }, today);
  await withdrawAid(db, demo, vents, 'Fault repaired the same day.', today);

  // North West: open offers on the board, a request they could meet, and completed elective help.
  await offer(
    n2,
    { kind: 'beds', detail: 'general-acute-adult', unit: 'beds', quantity: 8 },
    'Escalation ward staffed until spring.',
  );
  await offer(
    n3,
    { kind: 'beds', detail: 'general-acute-adult', unit: 'beds', quantity: 6 },
    'Virtual ward places.',
  );
  await ask(
    n1,
    {
      kind: 'beds',
      detail: 'general-acute-adult',
      unit: 'beds',
      quantity: 12,
      urgency: 'critical',
      reason: 'Norovirus closures on four wards.',
    },
    { from: 0, to: 21 },
  );
  const eyes = await ask(
    n4,
    {
      kind: 'elective',
      detail: 'ophthalmology',
      unit: 'sessions',
      quantity: 30,
      urgency: 'routine',
      reason: 'Cataract backlog after consultant retirement.',
    },
    { from: -60, to: 0 },
  );
  view = await proposeAidMatch(db, demo, eyes, { provider: n2.odsCode, quantity: 30 }, today);
  if (view.matches[0]) {
    await agreeBoth(view.matches[0].id, n4.odsCode, n2.odsCode);
    await startAid(db, demo, eyes, today);
    await recordAidDelivery(db, demo, view.matches[0].id, 30, today);
    await completeAid(db, demo, eyes, 'All 30 sessions delivered.', today);
  }
  return added;
}
