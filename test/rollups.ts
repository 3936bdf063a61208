import { expect } from 'vitest';
import type { DatabaseHandle } from '../src/db/database.js';
import { getDashboard } from '../src/services/dashboard.service.js';
import { getMetricCatalogue } from '../src/services/metric-catalogue.service.js';
import { rollupMetrics } from '../src/services/rollup.service.js';

/**
 * The dashboard cache must say exactly what the live roll-up says, point by point, for every metric:
 * value, organisations counted and organisations with some items but not all. Returns how many
 * points carried a value.
 */
export async function expectDashboardMatchesLive(
  handle: DatabaseHandle,
  options: { code: string; from: string; to: string; today: string; metricCodes?: string[] },
): Promise<number> {
  const codes = options.metricCodes ?? (await getMetricCatalogue(handle.db)).metrics.map((m) => m.code);
  const dashboard = await getDashboard(handle.db, {
    aggregateCode: options.code,
    metricCodes: codes,
    from: options.from,
    to: options.to,
    today: options.today,
  });
  const live = await rollupMetrics(handle.db, {
    metricCodes: codes,
    aggregate: { kind: 'organisation', odsCode: options.code },
    from: options.from,
    to: options.to,
    periodType: 'month',
    structure: { kind: 'as-at-period' },
    today: options.today,
  });
  expect(dashboard.series.map((s) => s.metric.code)).toEqual(live.series.map((s) => s.metric.code));
  let compared = 0;
  for (const [index, series] of dashboard.series.entries()) {
    const expected = live.series[index]?.points ?? [];
    expect(series.points.map((p) => p.period.start)).toEqual(expected.map((p) => p.period.start));
    for (const [i, point] of series.points.entries()) {
      const want = expected[i];
      const where = `${options.code} ${series.metric.code} ${point.period.start}`;
      expect(point.reported, where).toBe(want?.coverage.reported);
      expect(point.partial, where).toBe(want?.coverage.partial.length);
      if (want?.value === null || want?.value === undefined) {
        expect(point.value, where).toBeNull();
        continue;
      }
      expect(point.value, where).not.toBeNull();
      expect(Math.abs((point.value ?? 0) - want.value), where).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(want.value)),
      );
      compared += 1;
    }
  }
  return compared;
}
