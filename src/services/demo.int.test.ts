import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { createTestDatabase } from '../../test/test-database.js';
import { getDatasetNotice } from './dataset.service.js';
import { generateDemoPlan } from './demo-plan.js';
import { isDatabaseEmpty, loadDemoDataset } from './demo.service.js';
import { listInterventions } from './intervention.service.js';
import { getTemplateCoverage } from './template.service.js';
import { getRoundSummary } from './planning.service.js';
import type { Principal } from '../domain/access.js';
import { getOrganisationProfile, getTreeAt, listEvents } from './hierarchy-query.service.js';
import { rollupMetrics } from './rollup.service.js';

describe('demo dataset', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase('reference');
  });
  afterAll(async () => handle.close());

  it('is deterministic for a seed, and differs between seeds', () => {
    expect(generateDemoPlan(7)).toEqual(generateDemoPlan(7));
    expect(generateDemoPlan(7)).not.toEqual(generateDemoPlan(8));
  });

  it('loads into an empty database, with trusts of every sector under every ICB, and says it is demo data', async () => {
    expect(await isDatabaseEmpty(handle.db)).toBe(true);
    const summary = await loadDemoDataset(handle, { today: '2025-04-15' });
    expect(summary.organisations).toBeGreaterThan(300);
    // A&E returns for March 2025 in every state of the workflow; the accepted ones are in reporting.
    expect(summary.returns).toBe(11);
    const coverage = await getTemplateCoverage(handle.db, null, 'ae-monthly', '2025-03-01', '2025-04-15');
    const states = coverage.organisations.map((o) => o.status).filter((status) => status !== 'not-started');
    expect([...new Set(states)].sort()).toEqual([
      'accepted',
      'approved',
      'draft',
      'locked',
      'returned',
      'submitted',
    ]);
    expect(coverage.summary.accepted).toBe(4);
    // This year's plans for London, with one revision flagged for worsening its system.
    expect(summary.plans).toBeGreaterThan(10);
    const director: Principal = {
      kind: 'user',
      userId: 1,
      label: 'National director',
      isAdmin: false,
      grants: [{ role: 'national-director', scopeOrganisationId: null }],
      functions: [],
    };
    const london = await getRoundSummary(handle.db, director, '2024-25', 'Y56', '2025-04-15');
    expect(london.systems.length).toBe(5);
    expect(london.systems.every((s) => s.envelopeSet && s.gap !== null)).toBe(true);
    expect(london.systems.reduce((n, s) => n + s.flaggedRevisions, 0)).toBeGreaterThan(0);
    // Interventions from the demo's own signals: segments that worsened, one tagged with a statutory
    // function (and so hidden from the director, who has no grant for it), a plan gap, a standard explained.
    expect(summary.accountability.interventions).toBeGreaterThanOrEqual(4);
    const seen = await listInterventions(handle.db, director, { today: '2025-04-15' });
    const all = await listInterventions(handle.db, null, { today: '2025-04-15' });
    expect(all.filter((i) => i.statutoryFunction === 'provider-licensing')).toHaveLength(1);
    expect(seen).toHaveLength(all.length - 1);
    expect(new Set(all.map((i) => i.signal.kind))).toEqual(
      new Set(['segment-change', 'spc-special-cause', 'plan-gap', 'missed-standard']),
    );
    expect(await isDatabaseEmpty(handle.db)).toBe(false);
    expect((await getDatasetNotice(handle.db)).demoData).toBe(true);

    const { root, counts } = await getTreeAt(handle.db, { asAt: '2024-01-01' });
    expect(counts).toMatchObject({ region: 7, icb: 42 });
    const trusts = root.children
      .flatMap((r) => r.children)
      .flatMap((icb) => icb.children)
      .filter((n) => n.organisation.kind === 'nhs-trust');
    expect(new Set(trusts.map((t) => t.organisation.sector))).toEqual(
      new Set(['acute', 'mental-health', 'community', 'ambulance', 'specialist']),
    );
    for (const icb of root.children.flatMap((r) => r.children)) {
      expect(icb.children.some((c) => c.organisation.kind === 'nhs-trust')).toBe(true);
    }
    // Every region has a named regional director.
    for (const region of root.children) {
      const profile = await getOrganisationProfile(handle.db, region.organisation.odsCode, '2024-01-01');
      expect(profile.roles.filter((r) => r.validTo === null)).toHaveLength(1);
    }
  });

  it("records the CCGs' absorption into ICBs on 1 July 2022 and the generated mergers and split", async () => {
    const before = await getTreeAt(handle.db, { asAt: '2022-06-30' });
    const after = await getTreeAt(handle.db, { asAt: '2022-07-01' });
    expect(before.counts.ccg).toBeGreaterThan(40);
    expect(after.counts.ccg).toBeUndefined();
    expect(after.counts['gp-practice']).toBe(before.counts['gp-practice']);
    const { events } = await listEvents(handle.db, { types: ['merge', 'split'], limit: 100, offset: 0 });
    expect(events.some((e) => e.type === 'split')).toBe(true);
    expect(events.filter((e) => e.type === 'merge').length).toBeGreaterThan(0);
  });

  it('has monthly figures for every demo metric, 2019 to 2025, with no gaps', async () => {
    const result = await rollupMetrics(handle.db, {
      metricCodes: [
        'ae_4h_all',
        'ga_occupancy',
        'rtt_over_18w_all_parts',
        'fin_surplus_deficit',
        'wf_vacancy_rate',
        'wf_sickness_absence',
      ],
      aggregate: { kind: 'organisation', odsCode: 'X24' },
      from: '2019-04-01',
      to: '2025-03-01',
      periodType: 'month',
      structure: { kind: 'as-at-period' },
      today: '2025-06-01',
    });
    for (const series of result.series) {
      expect(series.points).toHaveLength(72);
      for (const point of series.points) {
        expect(point.value, `${series.metric.code} ${point.period.start}`).not.toBeNull();
        expect(point.coverage.notReported, `${series.metric.code} ${point.period.start}`).toEqual([]);
      }
    }
    const fourHour = result.series[0]?.points ?? [];
    expect(fourHour.every((p) => (p.value ?? 0) > 40 && (p.value ?? 100) < 99)).toBe(true);
  });

  it('refuses to load twice', async () => {
    await expect(loadDemoDataset(handle)).rejects.toThrow(/already holds/);
  });
});
