import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authoriseConfiguration } from '../../services/access.service.js';
import { actorOf } from '../../services/identity.service.js';
import {
  activateTemplate,
  createTemplate,
  getBurden,
  getInbox,
  getLineage,
  getTemplateCoverage,
  getTemplateView,
  listTemplateViews,
  retireTemplate,
} from '../../services/template.service.js';
import type { ApiContext } from '../api-context.js';
import {
  burdenParams,
  burdenQuerySchema,
  burdenResponseSchema,
  coverageQuerySchema,
  coverageResponseSchema,
  inboxResponseSchema,
  lineageResponseSchema,
  templateBodySchema,
  templateCodeParams,
  templateDateBodySchema,
  templateResponseSchema,
  templatesResponseSchema,
} from './template.schemas.js';

/** Collect once: collection templates, the lineage of every data item, and the burden on each organisation. */
export function templateRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.get(
      '/api/templates',
      {
        schema: {
          summary: 'Every collection template: items, who submits, period type, schedule and status',
          tags: ['returns'],
          response: { 200: templatesResponseSchema },
        },
      },
      async () => ({ templates: await listTemplateViews(db, today()) }),
    );

    app.get(
      '/api/templates/:code',
      {
        schema: {
          summary: 'One collection template',
          tags: ['returns'],
          params: templateCodeParams,
          response: { 200: templateResponseSchema },
        },
      },
      async (request) => ({ template: await getTemplateView(db, request.params.code, today()) }),
    );

    app.post(
      '/api/templates',
      {
        schema: {
          summary: 'Add a collection template as a draft (national directors)',
          tags: ['returns'],
          body: templateBodySchema,
          response: { 201: templateResponseSchema },
        },
      },
      async (request, reply) => {
        await authoriseConfiguration(db, request.caller.principal, 'collection templates');
        const template = await createTemplate(
          db,
          actorOf(request.caller.principal, String(request.id)),
          request.body,
          today(),
        );
        return reply.status(201).send({ template });
      },
    );

    app.get(
      '/api/templates/:code/coverage',
      {
        schema: {
          summary:
            'Who has and has not made the return for a period, and who made it by the deadline, per organisation, ICB and region (the organisations your roles cover)',
          tags: ['returns'],
          params: templateCodeParams,
          querystring: coverageQuerySchema,
          response: { 200: coverageResponseSchema },
        },
      },
      async (request) =>
        getTemplateCoverage(db, request.caller.principal, request.params.code, request.query.period, today()),
    );

    app.post(
      '/api/templates/:code/activate',
      {
        schema: {
          summary:
            'Make a draft template active from a date; refused (409) when another active template already collects one of its items from the same kind of organisation for the same period type',
          tags: ['returns'],
          params: templateCodeParams,
          body: templateDateBodySchema,
          response: { 200: templateResponseSchema },
        },
      },
      async (request) => {
        await authoriseConfiguration(db, request.caller.principal, 'collection templates');
        return {
          template: await activateTemplate(
            db,
            actorOf(request.caller.principal, String(request.id)),
            request.params.code,
            request.body.from,
            today(),
          ),
        };
      },
    );

    app.post(
      '/api/templates/:code/retire',
      {
        schema: {
          summary: 'Stop collecting a template from a date',
          tags: ['returns'],
          params: templateCodeParams,
          body: templateDateBodySchema,
          response: { 200: templateResponseSchema },
        },
      },
      async (request) => {
        await authoriseConfiguration(db, request.caller.principal, 'collection templates');
        return {
          template: await retireTemplate(
            db,
            actorOf(request.caller.principal, String(request.id)),
            request.params.code,
            request.body.from,
            today(),
          ),
        };
      },
    );

    app.get(
      '/api/data-items/lineage',
      {
        schema: {
          summary:
            'For every data item: the templates that collect it and the metrics, oversight methodologies and reports that use it; items nothing uses are flagged for retirement',
          tags: ['returns'],
          response: { 200: lineageResponseSchema },
        },
      },
      async () => ({ items: await getLineage(db, today()) }),
    );

    app.get(
      '/api/organisations/:code/inbox',
      {
        schema: {
          summary:
            'One inbox: every return asked of an organisation for the latest periods, with deadlines and where each stands (people whose roles cover it)',
          tags: ['returns'],
          params: burdenParams,
          response: { 200: inboxResponseSchema },
        },
      },
      async (request) =>
        getInbox(
          db,
          {
            principal: request.caller.principal,
            actor: actorOf(request.caller.principal, String(request.id)),
          },
          request.params.code,
          today(),
        ),
    );

    app.get(
      '/api/organisations/:code/burden',
      {
        schema: {
          summary:
            'How many returns and data items are asked of an organisation in a financial year, against the year before',
          tags: ['returns'],
          params: burdenParams,
          querystring: burdenQuerySchema,
          response: { 200: burdenResponseSchema },
        },
      },
      async (request) => getBurden(db, request.params.code, request.query.year ?? today()),
    );
  };
}
