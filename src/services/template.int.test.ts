import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { insertDataItem } from '../db/metric.repository.js';
import { systemActor } from '../domain/audit.js';
import type { TemplateInput } from '../domain/collection-template.js';
import { buildTrust } from '../../test/factories.js';
import { createTestDatabase } from '../../test/test-database.js';
import {
  activateTemplate,
  createTemplate,
  getBurden,
  getLineage,
  retireTemplate,
} from './template.service.js';

const today = '2025-08-15';
const schedule = { opensAfterDays: 1, softDeadlineDays: 15, hardCloseDays: 25 };
const template = (overrides: Partial<TemplateInput>): TemplateInput => ({
  code: 'ae-monthly',
  name: 'A&E monthly',
  periodType: 'month',
  organisationKinds: ['nhs-trust'],
  items: ['ae_attendances_all', 'ae_breaches_4h_all'],
  schedule,
  ...overrides,
});

describe('collect once: templates, lineage and burden', () => {
  let handle: DatabaseHandle;
  let trust = '';

  beforeAll(async () => {
    handle = await createTestDatabase('reference');
    trust = await buildTrust(handle.db, { parentCode: 'QKK', date: '2016-04-01' });
    await insertDataItem(handle.db, {
      code: 'test_unused_item',
      name: 'A count no metric reads',
      description: 'Test.',
      unit: 'count',
      temporalAggregation: 'sum',
      source: 'test',
    });
  });
  afterAll(async () => handle?.close());

  it('refuses a second active template that repeats an item for the same kind and period type, naming the holder', async () => {
    await createTemplate(handle.db, systemActor, template({}), today);
    const active = await activateTemplate(handle.db, systemActor, 'ae-monthly', '2024-04-01', today);
    // July 2025 is being collected on 15 August 2025: opened 1 August, due 15 August, closes 25 August.
    expect(active.current).toEqual({
      period: '2025-07-01',
      label: 'July 2025',
      opens: '2025-08-01',
      deadline: '2025-08-15',
      closes: '2025-08-25',
    });
    await createTemplate(
      handle.db,
      systemActor,
      template({
        code: 'winter-sitrep',
        name: 'Winter sitrep',
        items: ['ae_attendances_all', 'ae_dta_over_4h'],
      }),
      today,
    );
    const refused = activateTemplate(handle.db, systemActor, 'winter-sitrep', '2024-10-01', today);
    await expect(refused).rejects.toMatchObject({
      code: 'conflict',
      problems: [{ field: 'items', message: expect.stringContaining('by "A&E monthly" (ae-monthly)') }],
    });
    await expect(refused).rejects.toThrow(/ae_attendances_all is already collected from NHS trust/);
    // Other kinds of organisation, or another period type, are another collection.
    await createTemplate(
      handle.db,
      systemActor,
      template({ code: 'icb-ae', name: 'ICB A&E', organisationKinds: ['icb'] }),
      today,
    );
    expect((await activateTemplate(handle.db, systemActor, 'icb-ae', '2024-04-01', today)).status).toBe(
      'active',
    );
    // Once the holder is retired, the item can be collected by the other from that date.
    await retireTemplate(handle.db, systemActor, 'ae-monthly', '2025-01-01', today);
    expect(
      (await activateTemplate(handle.db, systemActor, 'winter-sitrep', '2025-01-01', today)).status,
    ).toBe('active');
  });

  it('refuses bad templates with the field named, and unknown items', async () => {
    await expect(
      createTemplate(handle.db, systemActor, template({ code: 'bad', items: ['no_such_item'] }), today),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'items.0' }] });
    await expect(
      createTemplate(
        handle.db,
        systemActor,
        template({ code: 'bad', schedule: { opensAfterDays: 10, softDeadlineDays: 5, hardCloseDays: 20 } }),
        today,
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', problems: [{ field: 'schedule.softDeadlineDays' }] });
    await expect(createTemplate(handle.db, systemActor, template({}), today)).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('traces every item to what collects it and what uses it, and flags items nothing uses', async () => {
    await createTemplate(
      handle.db,
      systemActor,
      template({ code: 'unused', name: 'Unused count', items: ['test_unused_item'] }),
      today,
    );
    await activateTemplate(handle.db, systemActor, 'unused', '2025-04-01', today);
    const lineage = await getLineage(handle.db, today);
    const attendances = lineage.find((i) => i.item === 'ae_attendances_all');
    expect(attendances?.templates).toEqual([
      { code: 'ae-monthly', name: 'A&E monthly', status: 'retired' },
      { code: 'icb-ae', name: 'ICB A&E', status: 'active' },
      { code: 'winter-sitrep', name: 'Winter sitrep', status: 'active' },
    ]);
    expect(attendances?.metrics).toEqual(expect.arrayContaining(['ae_4h_all', 'ae_attendances']));
    expect(attendances?.methodologies).toEqual(['nof-2025-26', 'nof-2026-27', 'sof-2016']);
    expect(attendances?.reports).toEqual(['Integrated performance report']);
    expect(attendances?.flaggedForRetirement).toBe(false);
    expect(lineage.find((i) => i.item === 'test_unused_item')).toMatchObject({
      metrics: [],
      flaggedForRetirement: true,
    });
    expect(lineage.filter((i) => i.flaggedForRetirement).map((i) => i.item)).toEqual(['test_unused_item']);
  });

  it('counts the returns and items asked of a trust in a year, against the year before', async () => {
    // 2024/25: A&E monthly April to December (9 × 2 items), the winter sitrep January to March (3 × 2).
    expect(await getBurden(handle.db, trust, '2024-06-01')).toMatchObject({
      year: { start: '2024-04-01', label: '2024/25' },
      returns: 12,
      items: 24,
      previousYear: { label: '2023/24', returns: 0, items: 0 },
      change: { returns: 12, items: 24, itemsPercent: null },
    });
    // 2025/26: the sitrep all year (12 × 2) and the unused count (12 × 1): 24 returns, 36 items, +50 %.
    const now = await getBurden(handle.db, trust, '2025-08-15');
    expect(now).toMatchObject({
      returns: 24,
      items: 36,
      change: { returns: 12, items: 12, itemsPercent: 50 },
    });
    expect(now.templates.map((t) => [t.code, t.returns, t.items])).toEqual([
      ['unused', 12, 12],
      ['winter-sitrep', 12, 24],
    ]);
    // An ICB is asked only the ICB template.
    expect((await getBurden(handle.db, 'QKK', '2025-08-15')).templates.map((t) => t.code)).toEqual([
      'icb-ae',
    ]);
    await expect(getBurden(handle.db, 'ZZZ99', '2025-08-15')).rejects.toMatchObject({ code: 'not-found' });
  });
});
