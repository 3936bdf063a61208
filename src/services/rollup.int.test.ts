import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { createTestDatabase } from '../../test/test-database.js';
import { hasSharedData, sharedDataPath } from '../../test/shared-data.js';
import { importSharedOds, importStatisticsFile } from '../../test/statistics.js';
import { rollupMetrics } from './rollup.service.js';

/** A deliberately plain CSV reader for the independent computation (the files have no quoted commas in these columns). */
function readRows(file: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(sharedDataPath(file), 'utf8').trim().split(/\r?\n/);
  const columns = (header ?? '').split(',').map((c) => c.replaceAll('"', ''));
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.replaceAll('"', ''));
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

function trustPlaces(): Map<string, { icb: string; region: string }> {
  // trusts.csv has quoted names with commas; its last five columns are plain, so read from the right.
  const lines = readFileSync(sharedDataPath('trusts.csv'), 'utf8').trim().split('\n').slice(1);
  const places = new Map<string, { icb: string; region: string }>();
  for (const line of lines) {
    const code = line.split(',')[0] ?? '';
    const region = /,(Y\d\d|W00),/.exec(line)?.[1] ?? '';
    const icb = /,(Q[A-Z0-9]{2}),/.exec(line)?.[1] ?? '';
    places.set(code, { icb, region });
  }
  return places;
}

const files = [
  'regions.csv',
  'icbs.csv',
  'trusts.csv',
  'ods_successors.csv',
  'ae_trust_monthly_2021_2025.csv',
];

describe.skipIf(!hasSharedData(...files))(
  'roll-ups reproduce totals computed independently from the published A&E file',
  () => {
    let handle: DatabaseHandle;
    const expected = new Map<
      string,
      { attendances: number; breaches: number; attendancesWithBreaches: number }
    >();
    let months: string[] = [];

    beforeAll(async () => {
      handle = await createTestDatabase('reference');
      await importSharedOds(handle);
      await importStatisticsFile(handle, 'ae', sharedDataPath('ae_trust_monthly_2021_2025.csv'));

      const places = trustPlaces();
      const add = (key: string, attendances: number, breaches: number | null) => {
        const entry = expected.get(key) ?? { attendances: 0, breaches: 0, attendancesWithBreaches: 0 };
        entry.attendances += attendances;
        if (breaches !== null) {
          entry.breaches += breaches;
          entry.attendancesWithBreaches += attendances;
        }
        expected.set(key, entry);
      };
      const monthSet = new Set<string>();
      for (const row of readRows('ae_trust_monthly_2021_2025.csv')) {
        const place = places.get(row.org_code ?? '');
        const attendances = Number(row.total_attendances);
        const breaches = row.attendances_over_4hours === '' ? null : Number(row.attendances_over_4hours);
        monthSet.add(row.period ?? '');
        for (const aggregate of ['X24', place?.region ?? '?', place?.icb ?? '?'])
          add(`${aggregate}|${row.period}`, attendances, breaches);
      }
      months = [...monthSet].sort();
    });
    afterAll(async () => handle?.close());

    async function check(aggregate: string) {
      const result = await rollupMetrics(handle.db, {
        metricCodes: ['ae_attendances', 'ae_4h_all'],
        aggregate: { kind: 'organisation', odsCode: aggregate },
        from: months[0] ?? '',
        to: months[months.length - 1] ?? '',
        periodType: 'month',
        structure: { kind: 'as-at-period' },
        today: '2025-12-31',
      });
      const [attendances, fourHour] = result.series;
      for (const month of months) {
        const want = expected.get(`${aggregate}|${month}`);
        const gotCount = attendances?.points.find((p) => p.period.start === month);
        const gotRatio = fourHour?.points.find((p) => p.period.start === month);
        expect(gotCount?.value, `${aggregate} ${month} attendances`).toBe(want?.attendances ?? null);
        const wantPercent =
          want && want.attendancesWithBreaches > 0
            ? 100 * (1 - want.breaches / want.attendancesWithBreaches)
            : null;
        if (wantPercent === null) expect(gotRatio?.value ?? null).toBeNull();
        else
          expect(
            Math.abs((gotRatio?.value ?? Number.NaN) - wantPercent),
            `${aggregate} ${month} 4-hour %`,
          ).toBeLessThan(1e-9);
      }
    }

    it('England, every month', async () => {
      await check('X24');
    });

    it('each of the seven regions, every month', async () => {
      for (const region of ['Y56', 'Y58', 'Y59', 'Y60', 'Y61', 'Y62', 'Y63']) await check(region);
    });

    it('each of the 42 ICBs, every month', async () => {
      const icbs = [
        ...new Set([...expected.keys()].map((k) => k.split('|')[0] ?? '').filter((k) => k.startsWith('Q'))),
      ];
      expect(icbs.length).toBe(42);
      for (const icb of icbs) await check(icb);
    });

    it('reports which trusts did not report 4-hour performance (blank, not zero)', async () => {
      const result = await rollupMetrics(handle.db, {
        metricCodes: ['ae_4h_all'],
        aggregate: { kind: 'organisation', odsCode: 'X24' },
        from: '2021-04-01',
        to: '2021-04-01',
        periodType: 'month',
        structure: { kind: 'as-at-period' },
        today: '2025-12-31',
      });
      const point = result.series[0]?.points[0];
      const blanks = readRows('ae_trust_monthly_2021_2025.csv').filter(
        (r) => r.period === '2021-04-01' && r.attendances_over_4hours === '',
      );
      expect(point?.coverage.partial.sort()).toEqual(blanks.map((r) => r.org_code).sort());
      expect(point?.coverage.reported).toBe(point!.coverage.expected - blanks.length);
    });
  },
);
