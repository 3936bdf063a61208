import type { MethodologyInput } from './oversight-methodology.js';

/**
 * The shipped oversight methodologies, written into `oversight_methodology` when the database is brought
 * up to date (like the metric catalogue). Each names the catalogue metrics that stand for the published
 * ones: only metrics with data here can be scored, and every substitution is said in `standsFor` and
 * `source`. To use different cut-points or metrics, add a version (`oversight methodology add`).
 */

const nofSegmentLabels = {
  '1': 'High-performing: a narrow range of challenges',
  '2': 'Good performance in most areas',
  '3': 'Significant challenges in some areas',
  '4': 'Serious, complex challenges across several areas',
  '5': 'Intensive support: the Provider Improvement Programme',
};

const nofDomains = [
  { key: 'access', label: 'Access to services' },
  { key: 'safety', label: 'Patient safety' },
  { key: 'people', label: 'People and workforce' },
  { key: 'finance', label: 'Finance and productivity' },
];

const deficit = {
  key: 'deficit',
  label: 'In deficit in the quarter (surplus margin below zero)',
  metric: 'fin_surplus_margin',
  operator: '<' as const,
  value: 0,
};

/** What the NOF versions share after scoring: the deficit override, segment 5 by judgement, labels. */
const nofRules = {
  minimumMetrics: 1,
  conditions: [deficit],
  overrides: [{ condition: 'deficit', atBest: 3, label: 'In deficit: no better than segment 3' }],
  // The published method computes segments 1–4; only segment 5 is a regional decision.
  judgement: { segments: [5], segment5Requires: 4 },
  significantChange: 0.2,
  segmentLabels: nofSegmentLabels,
} satisfies Partial<MethodologyInput>;

export const shippedMethodologies: MethodologyInput[] = [
  {
    code: 'nof-2025-26',
    version: 1,
    effectiveFrom: '2025-04-01',
    name: 'NHS Oversight Framework 2025/26',
    summary:
      'Each metric is scored from 1.00 (best) to 4.00 by rank among trusts of the same type, meeting a standard scores 1.00; the average metric score places a trust in the quartile of its type; a trust in deficit can be no better than segment 3; segment 5 only by a recorded regional judgement for a segment-4 trust.',
    source:
      'NHS England, NHS Oversight Framework 2025/26 methodology manual (scoring, quartiles within trust type, financial override, segment 5 by review). The deficit override tests the quarter’s actual margin, standing in for the planned deficit or deficit support the method names. Metrics here are the ones with data in this service: A&E 4-hour (OF0013), sickness absence (OF0082), planned surplus or deficit (OF0079, scored against breakeven), vacancy rate (people domain, inferred). The published set has about 22 metrics for acute trusts; the others have no data here and are left out, as the method leaves out missing data.',
    levels: ['nhs-trust'],
    peerGrouping: 'sector',
    domains: nofDomains,
    metrics: [
      {
        metric: 'ae_4h_all',
        standsFor: 'OF0013 A&E 4-hour performance',
        domain: 'access',
        scoring: { kind: 'ranked', polarity: 'higher-is-better' },
      },
      {
        metric: 'wf_sickness_absence',
        standsFor: 'OF0082 Sickness absence rate',
        domain: 'people',
        scoring: { kind: 'ranked', polarity: 'lower-is-better' },
      },
      {
        metric: 'wf_vacancy_rate',
        standsFor: 'People and workforce (inferred)',
        domain: 'people',
        scoring: { kind: 'ranked', polarity: 'lower-is-better' },
      },
      {
        metric: 'fin_surplus_margin',
        standsFor: 'OF0079 Planned surplus or deficit',
        domain: 'finance',
        scoring: { kind: 'standard', polarity: 'higher-is-better', operator: '>=', value: 0 },
      },
    ],
    segmentRule: { kind: 'quartiles' },
    ...nofRules,
  },
  {
    code: 'nof-2026-27',
    version: 1,
    effectiveFrom: '2026-04-01',
    name: 'NHS Oversight Framework 2026/27 style (illustrative cut-points)',
    summary:
      'As 2025/26, but the average metric score is compared with fixed cut-points instead of quartiles, and ICBs are scored among ICBs. The published cut-points were not available: the ones here (1.75, 2.50, 3.25) are configurable — add a version with the published values.',
    source:
      'NHS England, NHS Oversight Framework 2026/27 methodology manual (introduction: fixed thresholds, ICBs segmented). Cut-points and the G&A occupancy ambition metric are this service’s assumptions, not published values.',
    levels: ['nhs-trust', 'icb'],
    peerGrouping: 'sector',
    domains: nofDomains,
    metrics: [
      {
        metric: 'ae_4h_all',
        standsFor: 'A&E 4-hour performance',
        domain: 'access',
        scoring: { kind: 'ranked', polarity: 'higher-is-better' },
      },
      {
        metric: 'ga_occupancy',
        standsFor: 'G&A bed occupancy against the 92 % ambition',
        domain: 'access',
        scoring: { kind: 'standard', polarity: 'lower-is-better', operator: '<=', value: 92 },
      },
      {
        metric: 'wf_sickness_absence',
        standsFor: 'Sickness absence rate',
        domain: 'people',
        scoring: { kind: 'ranked', polarity: 'lower-is-better' },
      },
      {
        metric: 'wf_vacancy_rate',
        standsFor: 'Vacancy rate',
        domain: 'people',
        scoring: { kind: 'ranked', polarity: 'lower-is-better' },
      },
      {
        metric: 'fin_surplus_margin',
        standsFor: 'Surplus or deficit against breakeven',
        domain: 'finance',
        scoring: { kind: 'standard', polarity: 'higher-is-better', operator: '>=', value: 0 },
      },
    ],
    segmentRule: { kind: 'thresholds', cutPoints: [1.75, 2.5, 3.25] },
    ...nofRules,
  },
  {
    code: 'sof-2016',
    version: 1,
    effectiveFrom: '2016-10-01',
    name: 'Single Oversight Framework 2016–19',
    summary:
      'Segment 1 (maximum autonomy) when no theme shows a concern, 2 (targeted support) when any does: a missed standard, or a metric in the bottom quarter of trusts of the same type. Segments 3 (mandated support) and 4 (special measures) follow a licence breach, so only a recorded regulatory judgement sets them.',
    source:
      'NHS Improvement, Single Oversight Framework (2016): five themes and segments 1–4. The detailed triggers were not available; concerns here are a missed operational standard (A&E 95 %, breakeven) or a bottom-quarter score, which is this service’s reading.',
    levels: ['nhs-trust'],
    peerGrouping: 'sector',
    domains: [
      { key: 'quality', label: 'Quality of care' },
      { key: 'finance', label: 'Finance and use of resources' },
      { key: 'operational', label: 'Operational performance' },
    ],
    metrics: [
      {
        metric: 'ae_4h_all',
        standsFor: 'A&E maximum 4-hour wait (95 % standard)',
        domain: 'operational',
        scoring: { kind: 'standard', polarity: 'higher-is-better', operator: '>=', value: 95 },
      },
      {
        metric: 'wf_sickness_absence',
        standsFor: 'Staff sickness (quality of care: organisational health)',
        domain: 'quality',
        scoring: { kind: 'ranked', polarity: 'lower-is-better' },
      },
      {
        metric: 'fin_surplus_margin',
        standsFor: 'I&E margin',
        domain: 'finance',
        scoring: { kind: 'standard', polarity: 'higher-is-better', operator: '>=', value: 0 },
      },
    ],
    minimumMetrics: 1,
    segmentRule: { kind: 'concerns', concernAtScore: 3.25 },
    conditions: [],
    overrides: [],
    judgement: { segments: [3, 4], segment5Requires: null },
    significantChange: null,
    segmentLabels: {
      '1': 'Maximum autonomy: no support needs identified',
      '2': 'Targeted support: concerns in one or more themes',
      '3': 'Mandated support: actual or suspected licence breach',
      '4': 'Special measures: licence breach with very serious or complex issues',
    },
  },
];
