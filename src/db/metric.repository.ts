import type {
  DataItem,
  ItemUnit,
  Metric,
  MetricDefinition,
  MetricDomain,
  MetricTarget,
  MetricVersion,
  Polarity,
  TemporalAggregation,
} from '../domain/metric.js';
import type { PeriodType } from '../domain/period.js';
import type { Executor } from './database.js';

export interface DataItemRecord extends DataItem {
  id: number;
}

export interface MetricRecord extends Metric {
  id: number;
}

export async function listDataItems(ex: Executor): Promise<DataItemRecord[]> {
  const rows = await ex.selectFrom('data_item').selectAll().orderBy('code').execute();
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    unit: row.unit as ItemUnit,
    temporalAggregation: row.temporal_aggregation as TemporalAggregation,
    source: row.source,
  }));
}

export async function insertDataItem(ex: Executor, item: DataItem): Promise<number> {
  const row = await ex
    .insertInto('data_item')
    .values({
      code: item.code,
      name: item.name,
      description: item.description,
      unit: item.unit,
      temporal_aggregation: item.temporalAggregation,
      source: item.source,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every metric with its definition versions and targets. */
export async function listMetrics(ex: Executor): Promise<MetricRecord[]> {
  const [metrics, versions, targets] = await Promise.all([
    ex.selectFrom('metric').selectAll().orderBy('code').execute(),
    ex.selectFrom('metric_version').selectAll().orderBy('metric_id').orderBy('version').execute(),
    ex.selectFrom('metric_target').selectAll().orderBy('metric_id').orderBy('valid_from').execute(),
  ]);
  const versionsOf = new Map<number, MetricVersion[]>();
  for (const row of versions) {
    const list = versionsOf.get(row.metric_id) ?? [];
    list.push({
      version: row.version,
      effectiveFrom: row.effective_from,
      definition: row.definition as MetricDefinition,
      reason: row.reason,
    });
    versionsOf.set(row.metric_id, list);
  }
  const targetsOf = new Map<number, MetricTarget[]>();
  for (const row of targets) {
    const list = targetsOf.get(row.metric_id) ?? [];
    list.push({
      kind: row.kind as MetricTarget['kind'],
      operator: row.operator as MetricTarget['operator'],
      value: row.value,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      label: row.label,
    });
    targetsOf.set(row.metric_id, list);
  }
  return metrics.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    unit: row.unit,
    domain: row.domain as MetricDomain,
    polarity: row.polarity as Polarity,
    frequency: row.frequency as PeriodType,
    source: row.source,
    caveat: row.caveat,
    versions: versionsOf.get(row.id) ?? [],
    targets: targetsOf.get(row.id) ?? [],
  }));
}

export async function insertMetric(
  ex: Executor,
  metric: Omit<Metric, 'versions' | 'targets'>,
): Promise<number> {
  const row = await ex
    .insertInto('metric')
    .values({
      code: metric.code,
      name: metric.name,
      description: metric.description,
      unit: metric.unit,
      domain: metric.domain,
      polarity: metric.polarity,
      frequency: metric.frequency,
      source: metric.source,
      caveat: metric.caveat,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertMetricVersion(
  ex: Executor,
  metricId: number,
  version: MetricVersion,
): Promise<void> {
  await ex
    .insertInto('metric_version')
    .values({
      metric_id: metricId,
      version: version.version,
      effective_from: version.effectiveFrom,
      definition: JSON.stringify(version.definition),
      reason: version.reason,
    })
    .execute();
}

export async function insertMetricTarget(
  ex: Executor,
  metricId: number,
  target: MetricTarget,
): Promise<void> {
  await ex
    .insertInto('metric_target')
    .values({
      metric_id: metricId,
      kind: target.kind,
      operator: target.operator,
      value: target.value,
      valid_from: target.validFrom,
      valid_to: target.validTo,
      label: target.label,
    })
    .execute();
}
