import type { IsoDate } from '../domain/iso-date.js';
import type { TrustSector } from '../domain/organisation.js';
import { periodsBetween } from '../domain/period.js';
import { seededRandom } from './demo-plan.js';

/**
 * Monthly figures for the generated demo trusts: A&E, beds, RTT, finance and workforce, with winter
 * seasonality, the 2020–22 pressures and recovery, size differences between trusts, noise, and a few
 * deliberate step changes so that SPC charts have special causes to find. Deterministic for a seed.
 */

export interface DemoTrust {
  odsCode: string;
  sector: TrustSector | null;
  validFrom: IsoDate;
  validTo: IsoDate | null;
}

export interface DemoObservation {
  odsCode: string;
  item: string;
  periodStart: IsoDate;
  value: number;
}

export const demoMetricsFrom: IsoDate = '2018-04-01';

function hashSeed(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/** Figures from April 2018 to `lastMonth` (the month before the dataset is loaded, so the demo looks current). */
export function generateDemoObservations(
  trusts: readonly DemoTrust[],
  lastMonth: IsoDate,
  seed = 2019,
): DemoObservation[] {
  const months = periodsBetween('month', demoMetricsFrom, lastMonth);
  const observations: DemoObservation[] = [];
  for (const trust of trusts) {
    const random = seededRandom(hashSeed(trust.odsCode, seed));
    const noise = (spread: number) => 1 + (random() - 0.5) * 2 * spread;
    const size = 0.5 + random() * 1.6;
    const performance = 0.9 + random() * 0.2;
    // About one trust in six has a step change (a new model of care, or a lost ward) partway through.
    const stepAt = random() < 0.17 ? months[36 + Math.floor(random() * 36)]?.start : undefined;
    const stepSize = random() < 0.5 ? 0.06 : -0.07;
    const deficitTrust = random() < 0.35;
    const add = (item: string, periodStart: IsoDate, value: number) =>
      observations.push({ odsCode: trust.odsCode, item, periodStart, value: Math.max(0, value) });

    for (const [index, month] of months.entries()) {
      if (month.start < trust.validFrom || (trust.validTo !== null && month.start >= trust.validTo)) continue;
      const calendarMonth = Number(month.start.slice(5, 7));
      const winter = [12, 1, 2].includes(calendarMonth) ? 1 : [11, 3].includes(calendarMonth) ? 0.5 : 0;
      // Months since April 2019, so the shape of the years (the 2020–22 pressures) stays put.
      const sinceApril2019 = index - 12;
      const year = sinceApril2019 / 12;
      // Pressures fall from 2019 to a low in 2022, then recover slowly.
      const era = year < 3 ? -0.035 * year : -0.105 + 0.02 * (year - 3);
      const step = stepAt && month.start >= stepAt ? stepSize : 0;

      if (trust.sector === 'acute') {
        const type1 = Math.round(
          9000 *
            size *
            (1 + 0.06 * winter) *
            noise(0.04) *
            (sinceApril2019 >= 12 && sinceApril2019 < 15 ? 0.6 : 1),
        );
        const other = Math.round(type1 * 0.45 * noise(0.08));
        const fourHourType1 = Math.min(
          0.99,
          Math.max(0.35, (0.84 + era - 0.06 * winter + step) * performance * noise(0.015)),
        );
        const breachesType1 = Math.round(type1 * (1 - fourHourType1));
        const breachesOther = Math.round(other * 0.02 * noise(0.3));
        const admissionsType1 = Math.round(type1 * 0.29 * noise(0.03));
        add('ae_attendances_type1', month.start, type1);
        add('ae_breaches_4h_type1', month.start, breachesType1);
        add('ae_emergency_admissions_type1', month.start, admissionsType1);
        add('ae_attendances_other', month.start, other);
        add('ae_breaches_4h_other', month.start, breachesOther);
        add('ae_emergency_admissions_other', month.start, Math.round(other * 0.01));
        if (month.start >= '2021-04-01') {
          add('ae_attendances_all', month.start, type1 + other);
          add('ae_breaches_4h_all', month.start, breachesType1 + breachesOther);
          add('ae_emergency_admissions_all', month.start, Math.round(admissionsType1 * 1.35));
          add(
            'ae_dta_over_4h',
            month.start,
            Math.round(admissionsType1 * (0.12 - era + 0.08 * winter) * noise(0.2)),
          );
        }
        const beds = Math.round(650 * size);
        const occupancy = Math.min(
          0.99,
          (0.9 + 0.03 * winter - (sinceApril2019 >= 12 && sinceApril2019 < 18 ? 0.18 : 0) - step / 3) *
            noise(0.01),
        );
        const adultShare = 0.9;
        add('ga_beds_available', month.start, beds);
        add('ga_beds_occupied', month.start, Math.round(beds * occupancy));
        add('ga_adult_beds_available', month.start, Math.round(beds * adultShare));
        add(
          'ga_adult_beds_occupied',
          month.start,
          Math.round(beds * adultShare * Math.min(0.995, occupancy * 1.01)),
        );
        add('ga_paediatric_beds_available', month.start, Math.round(beds * (1 - adultShare)));
        add(
          'ga_paediatric_beds_occupied',
          month.start,
          Math.round(beds * (1 - adultShare) * occupancy * 0.86),
        );
        add('cc_adult_beds_available', month.start, Math.round(beds * 0.035));
        add('cc_adult_beds_occupied', month.start, Math.round(beds * 0.035 * 0.82 * noise(0.05)));
        const waiting = 12000 * size * (1 + Math.max(0, year - 1) * 0.22) * (year > 4 ? 0.95 : 1);
        add('rtt_over_18w_all_parts', month.start, Math.round(waiting * noise(0.03)));
        add(
          'rtt_over_52w_all_parts',
          month.start,
          Math.round(waiting * (year > 1 && year < 4 ? 0.09 : 0.02) * noise(0.1)),
        );
      }
      if (trust.sector === 'specialist') {
        add(
          'rtt_over_18w_all_parts',
          month.start,
          Math.round(3000 * size * (1 + Math.max(0, year - 1) * 0.15) * noise(0.04)),
        );
        add('rtt_over_52w_all_parts', month.start, Math.round(120 * size * noise(0.2)));
      }
      const income = 35000 * size * (trust.sector === 'acute' ? 1 : 0.55) * (1 + 0.03 * year) * noise(0.02);
      const payShare =
        (trust.sector === 'mental-health' || trust.sector === 'community' ? 0.72 : 0.62) * noise(0.015);
      const pay = income * payShare;
      const nonPay = income * (1 - payShare) * (deficitTrust ? 1.06 : 0.97) * noise(0.02);
      add('fin_income', month.start, Math.round(income));
      add('fin_pay_expenditure', month.start, Math.round(pay));
      add('fin_non_pay_expenditure', month.start, Math.round(nonPay));
      const establishment = Math.round(income / 5.2);
      const vacancy = Math.min(
        0.2,
        Math.max(0.02, (0.07 + (year > 2 && year < 4 ? 0.03 : 0) - step / 4) * noise(0.1)),
      );
      add('wf_establishment_wte', month.start, establishment);
      add('wf_staff_in_post_wte', month.start, Math.round(establishment * (1 - vacancy)));
      const available = Math.round(establishment * (1 - vacancy) * 21);
      add('wf_days_available', month.start, available);
      add(
        'wf_sickness_days_lost',
        month.start,
        Math.round(
          available *
            (0.045 + 0.012 * winter + (sinceApril2019 >= 12 && sinceApril2019 < 24 ? 0.01 : 0)) *
            noise(0.08),
        ),
      );
    }
  }
  return observations;
}
