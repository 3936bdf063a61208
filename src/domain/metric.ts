import type { IsoDate } from './iso-date.js';
import type { PeriodType } from './period.js';
import { invalidInput } from './errors.js';

/**
 * Data items and metrics. A data item is one collected number for an organisation and period
 * (e.g. type 1 A&E attendances). A metric is computed from data items: a count, or a ratio of two
 * linear combinations of items, always as a ratio of sums across organisations (never a mean of ratios).
 */

export const itemUnits = ['count', 'gbp-thousands', 'wte', 'beds', 'days'] as const;
export type ItemUnit = (typeof itemUnits)[number];

/** How monthly values combine into a quarter or year: flows add up, stocks (beds, waiting lists) average or take the last. */
export const temporalAggregations = ['sum', 'mean', 'last'] as const;
export type TemporalAggregation = (typeof temporalAggregations)[number];

export interface DataItem {
  /** Stable code, lower_snake_case, e.g. `ae_attendances_type1`. */
  code: string;
  name: string;
  description: string;
  unit: ItemUnit;
  temporalAggregation: TemporalAggregation;
  /** Where the item is collected or published. */
  source: string;
}

export const metricDomains = [
  'quality',
  'access-and-outcomes',
  'finance-and-use-of-resources',
  'people',
  'leadership-and-capability',
  'operational-performance',
] as const;
export type MetricDomain = (typeof metricDomains)[number];

export const metricDomainLabels: Record<MetricDomain, string> = {
  quality: 'Quality',
  'access-and-outcomes': 'Access and outcomes',
  'finance-and-use-of-resources': 'Finance and use of resources',
  people: 'People',
  'leadership-and-capability': 'Leadership and capability',
  'operational-performance': 'Operational performance',
};

export const polarities = ['higher-is-better', 'lower-is-better', 'neutral'] as const;
export type Polarity = (typeof polarities)[number];

export const polarityLabels: Record<Polarity, string> = {
  'higher-is-better': 'Higher is better',
  'lower-is-better': 'Lower is better',
  neutral: 'Neither higher nor lower is better',
};

export const metricTypes = ['count', 'ratio', 'percentage', 'rate'] as const;
export type MetricType = (typeof metricTypes)[number];

/** One data item with a coefficient: numerators like "attendances − breaches" are lists of terms. */
export interface Term {
  item: string;
  coefficient: number;
}

/** How a metric is computed; versioned, each version applying from a period onwards. */
export interface MetricDefinition {
  type: MetricType;
  numerator: Term[];
  /** Null for counts. */
  denominator: Term[] | null;
  /** 100 for percentages, 1,000 for rates per thousand, 1 otherwise. */
  multiplier: number;
  /**
   * What an item missing for an organisation and period means. 'missing' (the default): the
   * organisation did not report, so it is left out. 'zero': the source lists only categories that
   * exist (A&E department types a trust does not run have no row), so once an organisation reported
   * any of the items, the others count as zero.
   */
  absentItems?: 'missing' | 'zero';
}

export interface MetricVersion {
  version: number;
  /** The first period (its start date) this definition applies to. */
  effectiveFrom: IsoDate;
  definition: MetricDefinition;
  reason: string;
}

export const targetKinds = ['standard', 'interim', 'ambition'] as const;
export type TargetKind = (typeof targetKinds)[number];

/** A national standard or interim target, in force over a range of periods. */
export interface MetricTarget {
  kind: TargetKind;
  operator: '>=' | '<=';
  value: number;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  label: string;
}

export interface Metric {
  code: string;
  name: string;
  description: string;
  /** What the value is measured in, for display: "%", "attendances", "£000". */
  unit: string;
  domain: MetricDomain;
  polarity: Polarity;
  frequency: PeriodType;
  source: string;
  /** What the figure is not: shown wherever the metric is. */
  caveat: string | null;
  versions: MetricVersion[];
  targets: MetricTarget[];
}

/** The version of a metric's definition in force for a period. */
export function versionFor(metric: Pick<Metric, 'versions'>, periodStart: IsoDate): MetricVersion | null {
  let found: MetricVersion | null = null;
  for (const version of metric.versions) {
    if (version.effectiveFrom <= periodStart && (!found || version.effectiveFrom > found.effectiveFrom))
      found = version;
  }
  return found;
}

/** Targets in force for a period. */
export function targetsFor(metric: Pick<Metric, 'targets'>, periodStart: IsoDate): MetricTarget[] {
  return metric.targets.filter(
    (t) => t.validFrom <= periodStart && (t.validTo === null || t.validTo > periodStart),
  );
}

/** Every data item a definition reads. */
export function itemsOf(definition: MetricDefinition): string[] {
  return [...new Set([...definition.numerator, ...(definition.denominator ?? [])].map((term) => term.item))];
}

/** The metric value from summed numerator and denominator; null when it cannot be computed (zero denominator). */
export function metricValue(
  definition: MetricDefinition,
  numerator: number,
  denominator: number | null,
): number | null {
  if (definition.denominator === null) return numerator * definition.multiplier;
  if (denominator === null || denominator === 0) return null;
  return (numerator / denominator) * definition.multiplier;
}

/** Problems with a definition: unknown items, empty sides, a count with a denominator. */
export function checkDefinition(definition: MetricDefinition, knownItems: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (definition.numerator.length === 0) problems.push('The numerator has no data items.');
  if (definition.type === 'count' && definition.denominator !== null)
    problems.push('A count has no denominator.');
  if (
    definition.type !== 'count' &&
    (definition.denominator === null || definition.denominator.length === 0)
  ) {
    problems.push(`A ${definition.type} needs a denominator.`);
  }
  for (const item of itemsOf(definition)) {
    if (!knownItems.has(item)) problems.push(`Data item ${item} is not in the catalogue.`);
  }
  if (!Number.isFinite(definition.multiplier) || definition.multiplier <= 0)
    problems.push('The multiplier must be a positive number.');
  return problems;
}

/** A list of metric codes as typed (comma-separated, "all" for the catalogue): blanks and repeats dropped. */
export function parseMetricList(text: string): string[] | 'all' {
  if (text.trim().toLowerCase() === 'all') return 'all';
  const codes = [
    ...new Set(
      text
        .split(',')
        .map((code) => code.trim())
        .filter((code) => code !== ''),
    ),
  ];
  if (codes.length === 0)
    throw invalidInput('No metric was named.', [
      { field: 'metrics', message: 'Give metric codes separated by commas (e.g. ae_4h_all), or "all".' },
    ]);
  return codes;
}
