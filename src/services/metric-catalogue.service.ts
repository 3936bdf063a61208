import { appendAuditEvents } from '../db/audit.repository.js';
import { systemActor } from '../domain/audit.js';
import type { Executor } from '../db/database.js';
import {
  insertDataItem,
  insertMetric,
  insertMetricTarget,
  insertMetricVersion,
  listDataItems,
  listMetrics,
  type DataItemRecord,
  type MetricRecord,
} from '../db/metric.repository.js';
import { notFound } from '../domain/errors.js';
import { checkDefinition } from '../domain/metric.js';
import { catalogueItems, catalogueMetrics } from '../domain/metric-catalogue.js';

export type { DataItemRecord, MetricRecord } from '../db/metric.repository.js';

export interface MetricCatalogue {
  items: DataItemRecord[];
  metrics: MetricRecord[];
  itemByCode: Map<string, DataItemRecord>;
  metricByCode: Map<string, MetricRecord>;
}

/**
 * Adds the shipped data items, metrics, definition versions and targets that the database does not
 * have yet. Existing rows are never changed: a stored definition version is history.
 */
export async function ensureMetricCatalogue(ex: Executor): Promise<{ added: number }> {
  let added = 0;
  const items = new Map((await listDataItems(ex)).map((item) => [item.code, item]));
  for (const item of catalogueItems) {
    if (items.has(item.code)) continue;
    await insertDataItem(ex, item);
    added += 1;
  }
  const knownItems = new Set([...items.keys(), ...catalogueItems.map((item) => item.code)]);
  const metrics = new Map((await listMetrics(ex)).map((metric) => [metric.code, metric]));
  for (const metric of catalogueMetrics) {
    for (const version of metric.versions) {
      const problems = checkDefinition(version.definition, knownItems);
      if (problems.length > 0)
        throw new Error(`Catalogue metric ${metric.code} v${version.version}: ${problems.join(' ')}`);
    }
    const existing = metrics.get(metric.code);
    const metricId = existing?.id ?? (await insertMetric(ex, metric));
    if (!existing) added += 1;
    for (const version of metric.versions) {
      if (existing?.versions.some((v) => v.version === version.version)) continue;
      await insertMetricVersion(ex, metricId, version);
      added += 1;
    }
    for (const target of metric.targets) {
      const same = existing?.targets.some(
        (t) => t.kind === target.kind && t.validFrom === target.validFrom && t.value === target.value,
      );
      if (same) continue;
      await insertMetricTarget(ex, metricId, target);
      added += 1;
    }
  }
  if (added > 0)
    await appendAuditEvents(ex, systemActor, [
      {
        action: 'catalogue.update',
        recordType: 'metric-catalogue',
        recordId: null,
        before: null,
        after: { added },
      },
    ]);
  return { added };
}

export async function getMetricCatalogue(ex: Executor): Promise<MetricCatalogue> {
  const [items, metrics] = await Promise.all([listDataItems(ex), listMetrics(ex)]);
  return {
    items,
    metrics,
    itemByCode: new Map(items.map((item) => [item.code, item])),
    metricByCode: new Map(metrics.map((metric) => [metric.code, metric])),
  };
}

export function requireMetric(catalogue: MetricCatalogue, code: string): MetricRecord {
  const metric = catalogue.metricByCode.get(code);
  if (!metric) {
    throw notFound(
      `There is no metric ${code}. The catalogue has: ${[...catalogue.metricByCode.keys()].join(', ')}.`,
    );
  }
  return metric;
}
