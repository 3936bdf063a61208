import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { methodologySchema } from '../../domain/oversight-methodology.js';
import { getDatasetNotice } from '../../services/dataset.service.js';
import { actorOf } from '../../services/identity.service.js';
import {
  addMethodologyVersion,
  getMethodology,
  getSegmentation,
  listMethodologies,
  recordSegmentJudgement,
  authoriseMethodologyChange,
} from '../../services/segmentation.service.js';
import { getSystemOversight } from '../../services/system-oversight.service.js';
import type { ApiContext } from '../api-context.js';
import {
  judgementBodySchema,
  judgementResponseSchema,
  methodologiesResponseSchema,
  methodologyParams,
  methodologyQuerySchema,
  methodologyResponseSchema,
  segmentsQuerySchema,
  segmentsResponseSchema,
  systemQuerySchema,
  systemResponseSchema,
} from './oversight.schemas.js';

/** Oversight methodologies (versioned data), segmentation with drivers, regional judgements and the system view. */
export function oversightRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.get(
      '/api/oversight/methodologies',
      {
        schema: {
          summary:
            'Every version of every oversight methodology (NOF 2025/26, a 2026/27-style variant, SOF 2016–19, and any added)',
          tags: ['oversight'],
          response: { 200: methodologiesResponseSchema },
        },
      },
      async () => ({ methodologies: await listMethodologies(db) }),
    );

    app.get(
      '/api/oversight/methodologies/:code',
      {
        schema: {
          summary: 'One oversight methodology: its latest version, or the one asked for',
          tags: ['oversight'],
          params: methodologyParams,
          querystring: methodologyQuerySchema,
          response: { 200: methodologyResponseSchema },
        },
      },
      async (request) => ({
        methodology: await getMethodology(db, request.params.code, request.query.version),
      }),
    );

    app.post(
      '/api/oversight/methodologies',
      {
        schema: {
          summary:
            'Add an oversight methodology, or the next version of one (national directors); versions are never edited',
          tags: ['oversight'],
          body: methodologySchema,
          response: { 201: methodologyResponseSchema },
        },
      },
      async (request, reply) => {
        await authoriseMethodologyChange(db, request.caller.principal);
        const methodology = await addMethodologyVersion(
          db,
          actorOf(request.caller.principal, String(request.id)),
          request.body,
        );
        return reply.status(201).send({ methodology });
      },
    );

    app.get(
      '/api/oversight/segments',
      {
        schema: {
          summary:
            'Segmentation for a quarter: every trust (or ICB) with metric scores, average and domain scores, segment, overrides, regional judgement, league position, drivers with SPC icons, and the change since the previous quarter explained',
          tags: ['oversight'],
          querystring: segmentsQuerySchema,
          response: { 200: segmentsResponseSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const segmentation = await getSegmentation(db, {
          methodologyCode: q.methodology,
          ...(q.version ? { version: q.version } : {}),
          level: q.level,
          ...(q.period ? { period: q.period } : {}),
          ...(q.until ? { until: q.until } : {}),
          today: today(),
          viewer: request.caller.principal,
          ...(q.org ? { driversFor: [q.org] } : {}),
        });
        const rows = q.org ? segmentation.rows.filter((row) => row.odsCode === q.org) : segmentation.rows;
        return { meta: await getDatasetNotice(db), ...segmentation, rows };
      },
    );

    app.post(
      '/api/oversight/judgements',
      {
        schema: {
          summary:
            'Record a regional judgement on a segment (an override with a reason, segment 5 for a segment-4 organisation, or null to withdraw); regional and national directors only',
          tags: ['oversight'],
          body: judgementBodySchema,
          response: { 201: judgementResponseSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const row = await recordSegmentJudgement(
          db,
          {
            principal: request.caller.principal,
            actor: actorOf(request.caller.principal, String(request.id)),
          },
          {
            methodologyCode: body.methodology,
            period: body.period,
            odsCode: body.org,
            segment: body.segment,
            reason: body.reason,
          },
          today(),
        );
        return reply.status(201).send({ row });
      },
    );

    app.get(
      '/api/oversight/system',
      {
        schema: {
          summary:
            "An area and its members side by side: an ICB's objectives and segment with every member trust's position and drivers; a region's ICBs; England's regions",
          tags: ['oversight'],
          querystring: systemQuerySchema,
          response: { 200: systemResponseSchema },
        },
      },
      async (request) => {
        const q = request.query;
        const view = await getSystemOversight(db, {
          odsCode: q.org,
          methodologyCode: q.methodology,
          ...(q.period ? { period: q.period } : {}),
          ...(q.until ? { until: q.until } : {}),
          today: today(),
          viewer: request.caller.principal,
        });
        return { meta: await getDatasetNotice(db), ...view };
      },
    );
  };
}
