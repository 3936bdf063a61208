import { addDays, type IsoDate } from './iso-date.js';
import { addMonths, financialYearLabel, periodContaining } from './period.js';
import type { ProgrammeInput } from './programme.js';

/**
 * The national programmes the seeds name (cancer, mental health, digital, and urgent and emergency care
 * with winter planning), present in every database. They were running before this service existed, so
 * they are recorded in delivery; their milestones and first review are dated from the day the database
 * is set up, so none is overdue on the day it is recorded.
 */

export const seedSponsor = 'NHS Executive Group';
export const seedRecordedBy = 'NHS Oversight (shipped)';
export const seedStageReason =
  'Recorded as in delivery when NHS Oversight was set up: the programme was already running nationally.';

export interface SeedProgramme {
  programme: ProgrammeInput;
  milestones: Array<{ title: string; due: IsoDate }>;
  reviewOn: IsoDate;
}

/** The next 30 September and 31 March on or after a date. */
function nextDates(today: IsoDate) {
  const year = Number(today.slice(0, 4));
  const september = `${year}-09-30` >= today ? `${year}-09-30` : `${year + 1}-09-30`;
  const march = `${year}-03-31` >= today ? `${year}-03-31` : `${year + 1}-03-31`;
  return { september, march };
}

export function seedProgrammes(today: IsoDate): SeedProgramme[] {
  const { september, march } = nextDates(today);
  const winterLabel = (startYear: number) => `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
  // The winter the next September's plans are for, and the one that ends before the next March is out.
  const winter = winterLabel(Number(september.slice(0, 4)));
  const lastWinter = winterLabel(Number(march.slice(0, 4)) - 1);
  const yearEnding = financialYearLabel(march);
  const nextYear = financialYearLabel(addDays(march, 1));
  // The first review: the start of the month three months on.
  const reviewOn = addMonths(periodContaining('month', today).start, 3);
  return [
    {
      programme: {
        code: 'cancer',
        name: 'Cancer: earlier diagnosis and faster treatment',
        sponsor: seedSponsor,
        nationalDirector: 'National Director for Cancer',
        scope:
          'Earlier diagnosis and faster treatment of cancer, delivered with the cancer alliances: the Faster Diagnosis ' +
          'Standard (cancer diagnosed or ruled out within 28 days of referral), the 31-day and 62-day treatment ' +
          'standards, and wider screening and targeted lung health checks. The metric catalogue has no cancer ' +
          'measure yet, so no metric is linked.',
        metrics: [],
      },
      milestones: [
        { title: `Each region agrees its cancer alliances' delivery plans for ${nextYear}`, due: march },
        {
          title: `Mid-year review of cancer waiting times recovery, ${financialYearLabel(september)}`,
          due: september,
        },
      ],
      reviewOn,
    },
    {
      programme: {
        code: 'mental-health',
        name: 'Mental health',
        sponsor: seedSponsor,
        nationalDirector: 'National Director for Mental Health',
        scope:
          'Wider access to NHS mental health services for adults, children and young people: NHS Talking Therapies, ' +
          'community mental health services, mental health support teams in schools, 24/7 crisis care, and an end to ' +
          'inappropriate out-of-area placements. The metric catalogue has no mental health measure yet, so no ' +
          'metric is linked.',
        metrics: [],
      },
      milestones: [
        {
          title: `Each ICB sets its mental health investment for ${nextYear} at or above the standard`,
          due: march,
        },
        { title: 'Regions report out-of-area placements by ICB', due: september },
      ],
      reviewOn,
    },
    {
      programme: {
        code: 'digital',
        name: 'Digital transformation',
        sponsor: seedSponsor,
        nationalDirector: 'National Director for Digital Transformation',
        scope:
          'Digital foundations across the NHS: an electronic patient record in every trust, shared care records ' +
          'across each integrated care system, the NHS App as a front door to services, and the cyber security ' +
          'standards met by every organisation. The metric catalogue has no digital measure yet, so no metric is ' +
          'linked.',
        metrics: [],
      },
      milestones: [
        { title: 'Each ICB confirms its shared care record covers every member trust', due: september },
        {
          title: `Trusts without an electronic patient record have a funded plan by the end of ${yearEnding}`,
          due: march,
        },
      ],
      reviewOn,
    },
    {
      programme: {
        code: 'urgent-emergency-care',
        name: 'Urgent and emergency care, with winter planning',
        sponsor: seedSponsor,
        nationalDirector: 'National Director for Urgent and Emergency Care',
        scope:
          'Faster urgent and emergency care: A&E 4-hour performance, ambulance response times and flow through ' +
          'hospitals (bed occupancy and discharge), and each winter plan: ICB and trust winter plans assured by ' +
          'their regions, surge capacity, and escalation when demand peaks. Trajectory for the A&E 4-hour measure: ' +
          '78% by March 2025, then 82% by March 2026.',
        metrics: [
          {
            metric: 'ae_4h_all',
            trajectory: [
              { month: '2025-03-01', value: 78 },
              { month: '2026-03-01', value: 82 },
            ],
          },
          { metric: 'ga_occupancy', trajectory: [] },
        ],
      },
      milestones: [
        { title: `Regions assure every ICB's winter plan for winter ${winter}`, due: september },
        { title: `Lessons from winter ${lastWinter} agreed with regions`, due: march },
      ],
      reviewOn,
    },
  ];
}
