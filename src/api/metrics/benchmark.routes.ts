import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getBenchmark, type PeerSpec } from '../../services/benchmark.service.js';
import { getDatasetNotice } from '../../services/dataset.service.js';
import type { ApiContext } from '../api-context.js';
import { benchmarkQuerySchema, benchmarkResponseSchema } from './benchmark.schemas.js';
import { metricCodeParams } from './metric.schemas.js';
import { presentMetric } from './metric.routes.js';

type BenchmarkQuery = (typeof benchmarkQuerySchema)['_output'];

/** The peer grouping asked for; the schema has already required the parameters each kind needs. */
function peersOf(query: BenchmarkQuery): PeerSpec {
  switch (query.peers) {
    case 'all':
      return { kind: 'all' };
    case 'sector':
      return { kind: 'sector' };
    case 'size':
      return { kind: 'size', metric: query.sizeMetric ?? '' };
    case 'group':
      return { kind: 'group', code: query.group ?? '' };
    case 'nearest':
      return { kind: 'nearest', attributes: query.attributes ?? [], k: query.k };
  }
}

/** Benchmarking: one organisation on one metric, nationally and among chosen peers. */
export function benchmarkRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.get(
      '/api/metrics/:code/benchmark',
      {
        schema: {
          summary:
            'Where an NHS trust, ICB or region sits on a metric in a period: value, median and quartiles, rank of N, quarter band and distance to the best quarter, among all of its level and among chosen peers',
          tags: ['metrics'],
          params: metricCodeParams,
          querystring: benchmarkQuerySchema,
          response: { 200: benchmarkResponseSchema },
        },
      },
      async (request) => {
        const query = request.query;
        const result = await getBenchmark(db, {
          metricCode: request.params.code,
          odsCode: query.org,
          period: query.period,
          periodType: query.periodType,
          peers: peersOf(query),
          today: today(),
        });
        return { meta: await getDatasetNotice(db), ...result, metric: presentMetric(result.metric) };
      },
    );
  };
}
