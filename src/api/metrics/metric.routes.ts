import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toCsv } from '../../domain/csv-export.js';
import { metricDomainLabels, parseMetricList, polarityLabels, type Metric } from '../../domain/metric.js';
import { getDashboard } from '../../services/dashboard.service.js';
import { getDatasetNotice } from '../../services/dataset.service.js';
import { listImports } from '../../services/import-history.service.js';
import { getMetricCatalogue, requireMetric } from '../../services/metric-catalogue.service.js';
import { getPeerGroups } from '../../services/peer-group.service.js';
import { getMemberFigures } from '../../services/member-figures.service.js';
import { getPerformanceReport } from '../../services/performance-report.service.js';
import { renderReportPdf, reportPdfFileName } from '../../services/report-pdf.js';
import { flattenMetricSpc, getMetricSpc, type MetricSpc } from '../../services/spc.service.js';
import { listQuarantine } from '../../services/quarantine.service.js';
import { getLeagueTable, rollupMetrics, type StructureMode } from '../../services/rollup.service.js';
import type { ApiContext } from '../api-context.js';
import {
  catalogueResponseSchema,
  dashboardQuerySchema,
  dashboardResponseSchema,
  importsResponseSchema,
  leagueQuerySchema,
  leagueResponseSchema,
  memberFiguresQuerySchema,
  memberFiguresResponseSchema,
  metricCodeParams,
  metricResponseSchema,
  peerGroupsResponseSchema,
  rollupQuerySchema,
  rollupResponseSchema,
  seriesQuerySchema,
  reportQuerySchema,
  reportResponseSchema,
  spcQuerySchema,
  spcResponseSchema,
} from './metric.schemas.js';

export function presentMetric(metric: Metric) {
  return {
    code: metric.code,
    name: metric.name,
    description: metric.description,
    unit: metric.unit,
    domain: metric.domain,
    domainLabel: metricDomainLabels[metric.domain],
    polarity: metric.polarity,
    polarityLabel: polarityLabels[metric.polarity],
    frequency: metric.frequency,
    source: metric.source,
    caveat: metric.caveat,
    versions: metric.versions,
    targets: metric.targets,
  };
}

/** An SPC result for the API, with the metric presented like everywhere else. */
function presentSpc(spc: MetricSpc) {
  const metric = spc.rollup.series[0]?.metric;
  if (!metric) throw new Error('the SPC result has no metric');
  return { metric: presentMetric(metric), ...flattenMetricSpc(spc) };
}

function structureOf(query: {
  structure: 'as-at-period' | 'as-at' | 'as-now';
  asAt?: string | undefined;
}): StructureMode {
  if (query.structure === 'as-now') return { kind: 'as-now' };
  if (query.structure === 'as-at' && query.asAt) return { kind: 'as-at', date: query.asAt };
  return { kind: 'as-at-period' };
}

/** The metric catalogue, roll-ups (series, several metrics at once), league tables, imports and quarantine. */
export function metricRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.get(
      '/api/metrics',
      {
        schema: {
          summary: 'The metric catalogue and data items',
          tags: ['metrics'],
          response: { 200: catalogueResponseSchema },
        },
      },
      async () => {
        const catalogue = await getMetricCatalogue(db);
        return {
          meta: await getDatasetNotice(db),
          metrics: catalogue.metrics.map(presentMetric),
          items: catalogue.items.map(({ id: _id, ...item }) => item),
        };
      },
    );

    app.get(
      '/api/metrics/:code',
      {
        schema: {
          summary: 'One metric: what it measures, its definition versions and targets',
          tags: ['metrics'],
          params: metricCodeParams,
          response: { 200: metricResponseSchema },
        },
      },
      async (request) => {
        const metric = requireMetric(await getMetricCatalogue(db), request.params.code);
        return { meta: await getDatasetNotice(db), metric: presentMetric(metric) };
      },
    );

    const series = async (code: string, query: (typeof seriesQuerySchema)['_output']) =>
      rollupMetrics(db, {
        metricCodes: [code],
        aggregate: query.peerGroup
          ? { kind: 'peer-group', code: query.peerGroup }
          : { kind: 'organisation', odsCode: query.org ?? 'X24' },
        from: query.from,
        to: query.to,
        periodType: query.period,
        structure: structureOf(query),
        today: today(),
      });

    app.get(
      '/api/metrics/:code/series',
      {
        schema: {
          summary:
            'A metric for an organisation, aggregate or peer group over a range of periods, with coverage',
          tags: ['metrics'],
          params: metricCodeParams,
          querystring: seriesQuerySchema,
          response: { 200: rollupResponseSchema },
        },
      },
      async (request) => {
        const result = await series(request.params.code, request.query);
        return {
          meta: await getDatasetNotice(db),
          ...result,
          series: result.series.map((s) => ({ ...s, metric: presentMetric(s.metric) })),
        };
      },
    );

    app.get(
      '/api/metrics/:code/spc',
      {
        schema: {
          summary:
            'Making Data Count SPC for a metric series: process limits, special causes, variation and assurance icons, and a sentence saying what they show',
          tags: ['metrics'],
          params: metricCodeParams,
          querystring: spcQuerySchema,
          response: { 200: spcResponseSchema },
        },
      },
      async (request) => {
        const query = request.query;
        const spc = await getMetricSpc(db, {
          metricCode: request.params.code,
          aggregate: query.peerGroup
            ? { kind: 'peer-group', code: query.peerGroup }
            : { kind: 'organisation', odsCode: query.org ?? 'X24' },
          from: query.from,
          to: query.to,
          periodType: query.period,
          structure: structureOf(query),
          today: today(),
          settings: {
            screenOutliers: query.screenOutliers,
            runLength: query.runLength === 6 ? 6 : query.runLength === 7 ? 7 : undefined,
            twoInThree: query.twoInThree,
            fixAfterPoints: query.fixAfter,
            rebaseAt: query.rebase
              ? query.rebase
                  .split(',')
                  .map((d) => d.trim())
                  .filter(Boolean)
              : undefined,
            iconMinimumPoints: query.minPoints,
          },
        });
        return { meta: await getDatasetNotice(db), ...presentSpc(spc) };
      },
    );

    app.get(
      '/api/metrics/:code/series.csv',
      {
        schema: {
          summary: 'The same series as CSV',
          tags: ['metrics'],
          params: metricCodeParams,
          querystring: seriesQuerySchema,
        },
      },
      async (request, reply) => {
        const result = await series(request.params.code, request.query);
        const points = result.series[0]?.points ?? [];
        const body = toCsv(
          [
            'aggregate',
            'period_start',
            'period',
            'value',
            'numerator',
            'denominator',
            'reported',
            'expected',
            'not_reported',
            'definition_version',
          ],
          points.map((p) => [
            result.aggregate.code,
            p.period.start,
            p.label,
            p.value,
            p.numerator,
            p.denominator,
            p.coverage.reported,
            p.coverage.expected,
            p.coverage.notReported.join(' '),
            p.definitionVersion,
          ]),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${request.params.code}-${result.aggregate.code}.csv"`,
          )
          .send(body);
      },
    );

    app.get(
      '/api/rollup',
      {
        schema: {
          summary: 'Several metrics at once for one aggregate (a dashboard), "all" for the whole catalogue',
          tags: ['metrics'],
          querystring: rollupQuerySchema,
          response: { 200: rollupResponseSchema },
        },
      },
      async (request) => {
        const listed = parseMetricList(request.query.metrics);
        const codes = listed === 'all' ? (await getMetricCatalogue(db)).metrics.map((m) => m.code) : listed;
        const result = await rollupMetrics(db, {
          metricCodes: codes,
          aggregate: request.query.peerGroup
            ? { kind: 'peer-group', code: request.query.peerGroup }
            : { kind: 'organisation', odsCode: request.query.org ?? 'X24' },
          from: request.query.from,
          to: request.query.to,
          periodType: request.query.period,
          structure: structureOf(request.query),
          today: today(),
        });
        return {
          meta: await getDatasetNotice(db),
          ...result,
          series: result.series.map((s) => ({ ...s, metric: presentMetric(s.metric) })),
        };
      },
    );

    app.get(
      '/api/dashboard',
      {
        schema: {
          summary:
            'Monthly figures of many metrics for one organisation or aggregate, read from the pre-computed roll-ups (each month under the structure of its time)',
          tags: ['metrics'],
          querystring: dashboardQuerySchema,
          response: { 200: dashboardResponseSchema },
        },
      },
      async (request) => {
        const { metrics, org, from, to, until } = request.query;
        const dashboard = await getDashboard(db, {
          aggregateCode: org ?? 'X24',
          metricCodes: parseMetricList(metrics),
          from,
          to,
          until,
          today: today(),
        });
        return {
          meta: await getDatasetNotice(db),
          ...dashboard,
          series: dashboard.series.map((s) => ({ ...s, metric: presentMetric(s.metric) })),
        };
      },
    );

    app.get(
      '/api/report',
      {
        schema: {
          summary:
            'The integrated performance report for an organisation, ICB or region: every metric with its latest value, target, process limits and variation and assurance icons, concerns and fails first',
          tags: ['metrics'],
          querystring: reportQuerySchema,
          response: { 200: reportResponseSchema },
        },
      },
      async (request) => {
        const report = await getPerformanceReport(db, {
          odsCode: request.query.org,
          until: request.query.until ?? today(),
          today: today(),
          viewer: request.caller.principal,
        });
        return {
          meta: await getDatasetNotice(db),
          ...report,
          sections: report.sections.map((s) => ({ ...s, label: metricDomainLabels[s.domain] })),
        };
      },
    );

    app.get(
      '/api/report.pdf',
      {
        schema: {
          summary:
            'The same integrated performance report as a board-ready PDF (A4 landscape, Making Data Count icons, sparklines)',
          tags: ['metrics'],
          querystring: reportQuerySchema,
        },
      },
      async (request, reply) => {
        const report = await getPerformanceReport(db, {
          odsCode: request.query.org,
          until: request.query.until ?? today(),
          today: today(),
          viewer: request.caller.principal,
        });
        const pdf = await renderReportPdf(report, {
          notice: await getDatasetNotice(db),
          generatedOn: today(),
        });
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${reportPdfFileName(report)}"`)
          .send(pdf);
      },
    );

    app.get(
      '/api/dashboard/members',
      {
        schema: {
          summary:
            'An area and its members side by side (England and its regions, a region and its ICBs, an ICB and its trusts): the latest month of headline metrics for each',
          tags: ['metrics'],
          querystring: memberFiguresQuerySchema,
          response: { 200: memberFiguresResponseSchema },
        },
      },
      async (request) => {
        const list = request.query.metrics ? parseMetricList(request.query.metrics) : undefined;
        const figures = await getMemberFigures(db, {
          odsCode: request.query.org ?? 'X24',
          asAt: request.query.asAt ?? today(),
          ...(list ? { metricCodes: list } : {}),
          today: today(),
        });
        return { meta: await getDatasetNotice(db), ...figures };
      },
    );

    const league = async (code: string, query: (typeof leagueQuerySchema)['_output']) =>
      getLeagueTable(db, {
        metricCode: code,
        period: query.period,
        level: query.level,
        sector: query.sector ?? null,
        periodType: query.periodType,
        structure: structureOf(query),
        today: today(),
      });

    app.get(
      '/api/metrics/:code/league',
      {
        schema: {
          summary: 'Every trust, ICB or region ranked on a metric for one period, with quartile bands',
          tags: ['metrics'],
          params: metricCodeParams,
          querystring: leagueQuerySchema,
          response: { 200: leagueResponseSchema },
        },
      },
      async (request) => {
        const table = await league(request.params.code, request.query);
        return { meta: await getDatasetNotice(db), ...table, metric: presentMetric(table.metric) };
      },
    );

    app.get(
      '/api/metrics/:code/league.csv',
      {
        schema: {
          summary: 'The same league table as CSV',
          tags: ['metrics'],
          params: metricCodeParams,
          querystring: leagueQuerySchema,
        },
      },
      async (request, reply) => {
        const table = await league(request.params.code, request.query);
        const body = toCsv(
          ['rank', 'ods_code', 'name', 'value', 'numerator', 'denominator', 'quartile_band', 'period'],
          table.rows.map((r) => [
            r.rank,
            r.odsCode,
            r.name,
            r.value,
            r.numerator,
            r.denominator,
            r.band,
            table.label,
          ]),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${request.params.code}-league-${table.period.start}.csv"`,
          )
          .send(body);
      },
    );

    app.get(
      '/api/imports',
      {
        schema: {
          summary: 'Imports of published files, and figures held in quarantine',
          tags: ['imports'],
          response: { 200: importsResponseSchema },
        },
      },
      async () => ({
        meta: await getDatasetNotice(db),
        imports: await listImports(db, 100),
        quarantine: await listQuarantine(db),
      }),
    );

    app.get(
      '/api/peer-groups',
      { schema: { summary: 'Peer groups', tags: ['metrics'], response: { 200: peerGroupsResponseSchema } } },
      async () => ({
        meta: await getDatasetNotice(db),
        peerGroups: (await getPeerGroups(db)).map(({ id: _id, ...group }) => group),
      }),
    );
  };
}
