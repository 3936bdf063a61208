import type { DataItem, Metric, MetricTarget, Term } from './metric.js';

/**
 * The data items and metrics the platform ships: those the published files in shared/data support,
 * plus finance and workforce items for the demo dataset. Loaded into the database by
 * `ensureMetricCatalogue`; the database is the source of truth from then on.
 */

const aeSource = 'NHS England, A&E Attendances and Emergency Admissions (monthly provider-level statistics)';
const bedsSource = 'NHS England, urgent and emergency care situation reports: bed availability and occupancy';
const rttSource = 'NHS England, Referral to Treatment (RTT) waiting times, full CSV data files';
const demoSource = 'Generated demonstration data (no published source)';

const aeTypes = [
  { suffix: 'type1', label: 'type 1 (major consultant-led 24-hour A&E)' },
  { suffix: 'type2', label: 'type 2 (single-specialty consultant-led A&E)' },
  { suffix: 'other', label: 'types 3 and 4 (urgent treatment centres, minor injury units, walk-in centres)' },
] as const;

export const catalogueItems: DataItem[] = [
  ...aeTypes.flatMap((type) => [
    {
      code: `ae_attendances_${type.suffix}`,
      name: `A&E attendances, ${type.label}`,
      description: `Attendances at A&E departments of ${type.label}.`,
      unit: 'count' as const,
      temporalAggregation: 'sum' as const,
      source: aeSource,
    },
    {
      code: `ae_breaches_4h_${type.suffix}`,
      name: `A&E attendances over 4 hours, ${type.label}`,
      description: `Attendances at ${type.label} departments spending more than 4 hours from arrival to admission, transfer or discharge.`,
      unit: 'count' as const,
      temporalAggregation: 'sum' as const,
      source: aeSource,
    },
    {
      code: `ae_emergency_admissions_${type.suffix}`,
      name: `Emergency admissions via A&E, ${type.label}`,
      description: `Emergency admissions through ${type.label} departments.`,
      unit: 'count' as const,
      temporalAggregation: 'sum' as const,
      source: aeSource,
    },
  ]),
  {
    code: 'ae_attendances_all',
    name: 'A&E attendances, all types',
    description: 'Attendances at A&E departments of all types, as published in one figure.',
    unit: 'count',
    temporalAggregation: 'sum',
    source: aeSource,
  },
  {
    code: 'ae_breaches_4h_all',
    name: 'A&E attendances over 4 hours, all types',
    description:
      'Attendances of all types spending more than 4 hours from arrival to admission, transfer or discharge.',
    unit: 'count',
    temporalAggregation: 'sum',
    source: aeSource,
  },
  {
    code: 'ae_emergency_admissions_all',
    name: 'Emergency admissions, all routes',
    description: 'Total emergency admissions, as published with the A&E statistics.',
    unit: 'count',
    temporalAggregation: 'sum',
    source: aeSource,
  },
  {
    code: 'ae_dta_over_4h',
    name: 'Emergency admissions waiting over 4 hours from decision to admit',
    description:
      'Patients admitted as emergencies via A&E who waited more than 4 hours from the decision to admit to admission ("trolley waits").',
    unit: 'count',
    temporalAggregation: 'sum',
    source: aeSource,
  },
  ...(
    [
      ['ga', 'general and acute (G&A) beds, all'],
      ['ga_adult', 'adult general and acute (G&A) beds'],
      ['ga_paediatric', 'paediatric general and acute (G&A) beds'],
      ['cc_adult', 'adult critical care beds'],
      ['picu', 'paediatric intensive care beds'],
      ['nicu', 'neonatal intensive care beds'],
    ] as const
  ).flatMap(([prefix, label]) => [
    {
      code: `${prefix}_beds_available`,
      name: `Available ${label}`,
      description: `Average number of ${label} available in the month.`,
      unit: 'beds' as const,
      temporalAggregation: 'mean' as const,
      source: bedsSource,
    },
    {
      code: `${prefix}_beds_occupied`,
      name: `Occupied ${label}`,
      description: `Average number of ${label} occupied in the month.`,
      unit: 'beds' as const,
      temporalAggregation: 'mean' as const,
      source: bedsSource,
    },
  ]),
  {
    code: 'rtt_over_18w_all_parts',
    name: 'RTT pathways over 18 weeks, all part types summed',
    description:
      'Referral-to-treatment pathways over 18 weeks, summed over every RTT part type in the source (completed admitted, completed non-admitted, incomplete, incomplete with a decision to admit).',
    unit: 'count',
    temporalAggregation: 'last',
    source: rttSource,
  },
  {
    code: 'rtt_over_52w_all_parts',
    name: 'RTT pathways over 52 weeks, all part types summed',
    description:
      'Referral-to-treatment pathways over 52 weeks, summed over every RTT part type in the source.',
    unit: 'count',
    temporalAggregation: 'last',
    source: rttSource,
  },
  {
    code: 'fin_income',
    name: 'Operating income',
    description: 'Operating income in the month.',
    unit: 'gbp-thousands',
    temporalAggregation: 'sum',
    source: demoSource,
  },
  {
    code: 'fin_pay_expenditure',
    name: 'Pay expenditure',
    description: 'Pay costs in the month, including bank and agency staff.',
    unit: 'gbp-thousands',
    temporalAggregation: 'sum',
    source: demoSource,
  },
  {
    code: 'fin_non_pay_expenditure',
    name: 'Non-pay expenditure',
    description: 'Non-pay operating costs in the month.',
    unit: 'gbp-thousands',
    temporalAggregation: 'sum',
    source: demoSource,
  },
  {
    code: 'wf_staff_in_post_wte',
    name: 'Staff in post (WTE)',
    description: 'Whole-time-equivalent staff in post at month end.',
    unit: 'wte',
    temporalAggregation: 'last',
    source: demoSource,
  },
  {
    code: 'wf_establishment_wte',
    name: 'Funded establishment (WTE)',
    description: 'Whole-time-equivalent funded posts at month end.',
    unit: 'wte',
    temporalAggregation: 'last',
    source: demoSource,
  },
  {
    code: 'wf_sickness_days_lost',
    name: 'Sickness absence days lost',
    description: 'Full-time-equivalent days lost to sickness absence in the month.',
    unit: 'days',
    temporalAggregation: 'sum',
    source: demoSource,
  },
  {
    code: 'wf_days_available',
    name: 'Days available',
    description: 'Full-time-equivalent days available in the month.',
    unit: 'days',
    temporalAggregation: 'sum',
    source: demoSource,
  },
];

const terms = (...codes: string[]): Term[] => codes.map((item) => ({ item, coefficient: 1 }));
const minus = (...codes: string[]): Term[] => codes.map((item) => ({ item, coefficient: -1 }));
const allTypes = (prefix: string) => aeTypes.map((type) => `${prefix}_${type.suffix}`);

/** The A&E 4-hour standard: 95 % in the NHS Constitution; interim targets set in planning guidance. */
const fourHourTargets: MetricTarget[] = [
  {
    kind: 'standard',
    operator: '>=',
    value: 95,
    validFrom: '2010-04-01',
    validTo: null,
    label: 'NHS Constitution standard: 95 %',
  },
  {
    kind: 'interim',
    operator: '>=',
    value: 76,
    validFrom: '2023-04-01',
    validTo: '2024-04-01',
    label: '2023/24 interim target: 76 %',
  },
  {
    kind: 'interim',
    operator: '>=',
    value: 78,
    validFrom: '2024-04-01',
    validTo: '2026-04-01',
    label: '2024/25 and 2025/26 interim target: 78 %',
  },
];

const absentTypes =
  'The file lists only the department types a provider runs: once it reports any type, the types it does not run count as zero.';

const layoutChange =
  'From April 2021 the published provider series gives all department types as one figure; the by-type figures are summed before then.';

export const catalogueMetrics: Metric[] = [
  {
    code: 'ae_4h_all',
    name: 'A&E 4-hour performance, all types',
    description:
      'Percentage of A&E attendances of all types admitted, transferred or discharged within 4 hours of arrival.',
    unit: '%',
    domain: 'operational-performance',
    polarity: 'higher-is-better',
    frequency: 'month',
    source: aeSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: `Sum of the by-type figures of the provider-level statistics. ${absentTypes}`,
        definition: {
          type: 'percentage',
          numerator: [...terms(...allTypes('ae_attendances')), ...minus(...allTypes('ae_breaches_4h'))],
          denominator: terms(...allTypes('ae_attendances')),
          multiplier: 100,
          absentItems: 'zero',
        },
      },
      {
        version: 2,
        effectiveFrom: '2021-04-01',
        reason: layoutChange,
        definition: {
          type: 'percentage',
          numerator: [...terms('ae_attendances_all'), ...minus('ae_breaches_4h_all')],
          denominator: terms('ae_attendances_all'),
          multiplier: 100,
        },
      },
    ],
    targets: fourHourTargets,
  },
  {
    code: 'ae_4h_type1',
    name: 'A&E 4-hour performance, type 1',
    description:
      'Percentage of attendances at major (type 1) A&E departments admitted, transferred or discharged within 4 hours.',
    unit: '%',
    domain: 'operational-performance',
    polarity: 'higher-is-better',
    frequency: 'month',
    source: aeSource,
    caveat:
      'The provider series published from April 2021 in shared data gives all types only, so type 1 is available to March 2019 there.',
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Type 1 figures of the provider-level statistics.',
        definition: {
          type: 'percentage',
          numerator: [...terms('ae_attendances_type1'), ...minus('ae_breaches_4h_type1')],
          denominator: terms('ae_attendances_type1'),
          multiplier: 100,
        },
      },
    ],
    targets: fourHourTargets,
  },
  {
    code: 'ae_attendances',
    name: 'A&E attendances, all types',
    description: 'Attendances at A&E departments of all types.',
    unit: 'attendances',
    domain: 'operational-performance',
    polarity: 'neutral',
    frequency: 'month',
    source: aeSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: `Sum of the by-type figures. ${absentTypes}`,
        definition: {
          type: 'count',
          numerator: terms(...allTypes('ae_attendances')),
          denominator: null,
          multiplier: 1,
          absentItems: 'zero',
        },
      },
      {
        version: 2,
        effectiveFrom: '2021-04-01',
        reason: layoutChange,
        definition: {
          type: 'count',
          numerator: terms('ae_attendances_all'),
          denominator: null,
          multiplier: 1,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'ae_attendances_type1',
    name: 'A&E attendances, type 1',
    description: 'Attendances at major (type 1) A&E departments.',
    unit: 'attendances',
    domain: 'operational-performance',
    polarity: 'neutral',
    frequency: 'month',
    source: aeSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Type 1 figures.',
        definition: {
          type: 'count',
          numerator: terms('ae_attendances_type1'),
          denominator: null,
          multiplier: 1,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'ae_emergency_admissions',
    name: 'Emergency admissions',
    description:
      'Emergency admissions via A&E (to March 2021, by department type) and total emergency admissions (from April 2021).',
    unit: 'admissions',
    domain: 'operational-performance',
    polarity: 'neutral',
    frequency: 'month',
    source: aeSource,
    caveat:
      'Before April 2021 the provider series counts admissions via A&E only; from April 2021 it counts emergency admissions by every route.',
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: `Emergency admissions via A&E, summed over department types. ${absentTypes}`,
        definition: {
          type: 'count',
          numerator: terms(...allTypes('ae_emergency_admissions')),
          denominator: null,
          multiplier: 1,
          absentItems: 'zero',
        },
      },
      {
        version: 2,
        effectiveFrom: '2021-04-01',
        reason: `${layoutChange} The published figure is total emergency admissions.`,
        definition: {
          type: 'count',
          numerator: terms('ae_emergency_admissions_all'),
          denominator: null,
          multiplier: 1,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'ae_dta_over_4h',
    name: 'Waits over 4 hours from decision to admit',
    description:
      'Emergency admissions via A&E waiting more than 4 hours from the decision to admit to admission.',
    unit: 'patients',
    domain: 'operational-performance',
    polarity: 'lower-is-better',
    frequency: 'month',
    source: aeSource,
    caveat: 'The published provider series in shared data has 4-hour, not 12-hour, decision-to-admit waits.',
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Published figure.',
        definition: { type: 'count', numerator: terms('ae_dta_over_4h'), denominator: null, multiplier: 1 },
      },
    ],
    targets: [],
  },
  ...(
    [
      ['ga', 'G&A bed occupancy, all', 'lower-is-better', true],
      ['ga_adult', 'G&A bed occupancy, adult', 'lower-is-better', true],
      ['ga_paediatric', 'G&A bed occupancy, paediatric', 'lower-is-better', false],
      ['cc_adult', 'Adult critical care bed occupancy', 'neutral', false],
      ['picu', 'Paediatric intensive care bed occupancy', 'neutral', false],
      ['nicu', 'Neonatal intensive care bed occupancy', 'neutral', false],
    ] as const
  ).map(([prefix, name, polarity, ambition]): Metric => ({
    code: `${prefix}_occupancy`,
    name,
    description: `Occupied beds as a percentage of available beds (${name.toLowerCase()}), as a ratio of the summed averages.`,
    unit: '%',
    domain: 'operational-performance',
    polarity,
    frequency: 'month',
    source: bedsSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Occupied over available beds.',
        definition: {
          type: 'percentage',
          numerator: terms(`${prefix}_beds_occupied`),
          denominator: terms(`${prefix}_beds_available`),
          multiplier: 100,
        },
      },
    ],
    targets: ambition
      ? [
          {
            kind: 'ambition',
            operator: '<=',
            value: 92,
            validFrom: '2023-04-01',
            validTo: null,
            label: 'Planning ambition since 2023/24: G&A occupancy at or below 92 %',
          },
        ]
      : [],
  })),
  ...(
    [
      [
        'rtt_over_18w_all_parts',
        'RTT pathways over 18 weeks (all part types summed)',
        'rtt_over_18w_all_parts',
      ],
      [
        'rtt_over_52w_all_parts',
        'RTT pathways over 52 weeks (all part types summed)',
        'rtt_over_52w_all_parts',
      ],
    ] as const
  ).map(([code, name, item]): Metric => ({
    code,
    name,
    description:
      'Referral-to-treatment pathways over the threshold, summed over every RTT part type (completed admitted, completed non-admitted, incomplete, incomplete with a decision to admit).',
    unit: 'pathways',
    domain: 'operational-performance',
    polarity: 'lower-is-better',
    frequency: 'month',
    source: rttSource,
    caveat:
      'Not the official waiting-list measure (incomplete pathways): summing every part type gives about 2.3 times the published figure. Use it for roll-ups and comparisons only.',
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Summed over all RTT part types in the source.',
        definition: { type: 'count', numerator: terms(item), denominator: null, multiplier: 1 },
      },
    ],
    targets: [],
  })),
  {
    code: 'fin_surplus_deficit',
    name: 'Surplus (deficit)',
    description: 'Operating income less pay and non-pay expenditure; a negative figure is a deficit.',
    unit: '£000',
    domain: 'finance-and-use-of-resources',
    polarity: 'higher-is-better',
    frequency: 'month',
    source: demoSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Income less expenditure.',
        definition: {
          type: 'count',
          numerator: [...terms('fin_income'), ...minus('fin_pay_expenditure', 'fin_non_pay_expenditure')],
          denominator: null,
          multiplier: 1,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'fin_surplus_margin',
    name: 'Surplus (deficit) margin',
    description:
      'Operating income less pay and non-pay expenditure, as a percentage of operating income; below zero is a deficit. Compares trusts of different sizes.',
    unit: '%',
    domain: 'finance-and-use-of-resources',
    polarity: 'higher-is-better',
    frequency: 'month',
    source: demoSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: '(Income − expenditure) over income.',
        definition: {
          type: 'percentage',
          numerator: [...terms('fin_income'), ...minus('fin_pay_expenditure', 'fin_non_pay_expenditure')],
          denominator: terms('fin_income'),
          multiplier: 100,
        },
      },
    ],
    targets: [
      {
        kind: 'standard',
        operator: '>=',
        value: 0,
        validFrom: '2016-04-01',
        validTo: null,
        label: 'Breakeven or better: income covers expenditure',
      },
    ],
  },
  {
    code: 'fin_pay_share',
    name: 'Pay as a share of operating income',
    description: 'Pay expenditure as a percentage of operating income.',
    unit: '%',
    domain: 'finance-and-use-of-resources',
    polarity: 'lower-is-better',
    frequency: 'month',
    source: demoSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Pay over income.',
        definition: {
          type: 'percentage',
          numerator: terms('fin_pay_expenditure'),
          denominator: terms('fin_income'),
          multiplier: 100,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'wf_vacancy_rate',
    name: 'Vacancy rate',
    description: 'Funded posts not filled by staff in post, as a percentage of the funded establishment.',
    unit: '%',
    domain: 'people',
    polarity: 'lower-is-better',
    frequency: 'month',
    source: demoSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: '(Establishment − staff in post) over establishment.',
        definition: {
          type: 'percentage',
          numerator: [...terms('wf_establishment_wte'), ...minus('wf_staff_in_post_wte')],
          denominator: terms('wf_establishment_wte'),
          multiplier: 100,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'wf_sickness_absence',
    name: 'Sickness absence rate',
    description: 'Days lost to sickness absence as a percentage of days available.',
    unit: '%',
    domain: 'people',
    polarity: 'lower-is-better',
    frequency: 'month',
    source: demoSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Days lost over days available.',
        definition: {
          type: 'percentage',
          numerator: terms('wf_sickness_days_lost'),
          denominator: terms('wf_days_available'),
          multiplier: 100,
        },
      },
    ],
    targets: [],
  },
  {
    code: 'wf_staff_in_post',
    name: 'Staff in post (WTE)',
    description: 'Whole-time-equivalent staff in post.',
    unit: 'WTE',
    domain: 'people',
    polarity: 'neutral',
    frequency: 'month',
    source: demoSource,
    caveat: null,
    versions: [
      {
        version: 1,
        effectiveFrom: '2016-04-01',
        reason: 'Staff in post.',
        definition: {
          type: 'count',
          numerator: terms('wf_staff_in_post_wte'),
          denominator: null,
          multiplier: 1,
        },
      },
    ],
    targets: [],
  },
];
