import type { Db } from '../db/database.js';
import type { Principal } from '../domain/access.js';
import { systemActor } from '../domain/audit.js';
import { addDays, type IsoDate } from '../domain/iso-date.js';
import type { ContributionStatus } from '../domain/programme.js';
import {
  addMilestone,
  advanceProgramme,
  completeMilestone,
  recordContribution,
  recordReviewOutcome,
  scheduleReview,
  type ProgrammeCaller,
} from './programme.service.js';

/**
 * The demo's activity on the seeded national programmes (which every database has): contributions from
 * real regions and ICBs in every status, a review held on urgent and emergency care that sent it back
 * into delivery, a milestone completed and one overdue. The words say "(demo)" so nobody mistakes them
 * for real commitments.
 */

// The demo acts as a national director for every region and ICB; the audit trail names it.
const demoCaller: ProgrammeCaller = {
  principal: {
    kind: 'user',
    userId: 0,
    label: 'NHS Oversight (demo)',
    isAdmin: false,
    grants: [{ role: 'national-director', scopeOrganisationId: null }],
    functions: [],
  } satisfies Principal,
  actor: { ...systemActor, label: 'NHS Oversight (demo)' },
};

const contributions: Array<[string, string, ContributionStatus, string]> = [
  [
    'urgent-emergency-care',
    'Y56',
    'on-track',
    'Winter plan assured for all five London ICBs; mental health crisis assessment centres open (demo).',
  ],
  [
    'urgent-emergency-care',
    'Y60',
    'at-risk',
    'Ambulance handover within 45 minutes at every Midlands acute trust by January (demo).',
  ],
  [
    'urgent-emergency-care',
    'Y62',
    'off-track',
    'Twenty more virtual ward beds per 100,000 adults before winter (demo).',
  ],
  [
    'urgent-emergency-care',
    'Y58',
    'planned',
    'Same-day emergency care open 12 hours a day at every type 1 site (demo).',
  ],
  [
    'urgent-emergency-care',
    'QKK',
    'on-track',
    'Discharge to assess across all six boroughs, seven days a week (demo).',
  ],
  [
    'urgent-emergency-care',
    'QE1',
    'at-risk',
    'Urgent community response within two hours for 70% of referrals (demo).',
  ],
  ['cancer', 'Y61', 'on-track', 'Rapid diagnostic centres in each East of England system (demo).'],
  ['cancer', 'QMF', 'delivered', 'Targeted lung health checks offered to every eligible resident (demo).'],
  [
    'cancer',
    'QHL',
    'off-track',
    'Faster Diagnosis Standard met for lower gastrointestinal referrals (demo).',
  ],
  ['mental-health', 'Y59', 'planned', 'Mental health support teams in every secondary school (demo).'],
  [
    'mental-health',
    'QJK',
    'on-track',
    'No inappropriate out-of-area placements by the end of the year (demo).',
  ],
  ['digital', 'Y63', 'at-risk', 'Electronic patient record live at the last two trusts without one (demo).'],
  [
    'digital',
    'QKS',
    'delivered',
    'Shared care record viewable by every GP practice and trust in Kent and Medway (demo).',
  ],
];

/** The demo's programme records; returns how many were added (contributions, milestones, reviews). */
export async function loadDemoProgrammes(db: Db, today: IsoDate): Promise<number> {
  let added = 0;
  for (const [programme, odsCode, status, commitment] of contributions) {
    await recordContribution(db, demoCaller, programme, odsCode, { commitment, status }, today);
    added += 1;
  }

  // Urgent and emergency care: a review held a fortnight ago, which continued it with changes (the
  // seeded review stays the next).
  const uec = 'urgent-emergency-care';
  const heldOn = addDays(today, -14);
  let detail = await scheduleReview(db, demoCaller, uec, { scheduledFor: heldOn }, today);
  const review = detail.reviews.find((r) => r.state === 'scheduled' && r.scheduledFor === heldOn);
  if (!review) throw new Error('the demo review was not scheduled');
  await advanceProgramme(
    db,
    demoCaller,
    uec,
    {
      to: 'under-review',
      reason: 'Quarterly review: 4-hour performance below trajectory in three regions (demo).',
    },
    today,
  );
  await recordReviewOutcome(
    db,
    demoCaller,
    uec,
    review.id,
    {
      heldOn,
      outcome:
        'Continue, with ambulance handover added to the scope and weekly regional escalation calls until March (demo).',
      decision: 'change',
    },
    today,
  );
  added += 2;

  // Cancer: one milestone met on time; digital: one past its due date and still open.
  detail = await addMilestone(
    db,
    demoCaller,
    'cancer',
    { title: 'Cancer alliances publish their early diagnosis plans (demo)', due: addDays(today, -40) },
    today,
  );
  const met = detail.milestones.find((m) => m.title.startsWith('Cancer alliances publish'));
  if (met)
    await completeMilestone(db, demoCaller, 'cancer', met.id, { completedOn: addDays(today, -45) }, today);
  await addMilestone(
    db,
    demoCaller,
    'digital',
    {
      title: 'Every trust submits its Data Security and Protection Toolkit (demo)',
      due: addDays(today, -21),
    },
    today,
  );
  added += 2;
  return added;
}
