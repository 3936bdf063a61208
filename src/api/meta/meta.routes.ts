import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getDatabaseSummary } from '../../services/dataset.service.js';
import type { ApiContext } from '../api-context.js';
import { metaSchema } from '../organisations/organisation.schemas.js';

const metaResponseSchema = z.object({
  meta: metaSchema,
  service: z.string(),
  version: z.string(),
  engine: z.enum(['pglite', 'postgres']),
  today: z.string(),
  organisations: z.record(z.string(), z.number().int()).describe('Organisations by provenance'),
  hierarchyEvents: z.number().int(),
  successions: z.number().int(),
});

export function metaRoutes(context: ApiContext, version: string): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/meta',
      {
        schema: {
          summary: 'What this service holds: engine, dataset (demo or imported) and counts',
          tags: ['meta'],
          response: { 200: metaResponseSchema },
        },
      },
      async () => {
        const summary = await getDatabaseSummary(context.db);
        return {
          meta: summary.notice,
          service: 'NHS Oversight',
          version,
          engine: context.engine,
          today: context.today(),
          organisations: summary.organisationsByProvenance,
          hierarchyEvents: summary.hierarchyEvents,
          successions: summary.successions,
        };
      },
    );
    app.get('/api/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  };
}
