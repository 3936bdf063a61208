import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getDatasetNotice } from '../../services/dataset.service.js';
import {
  getOrganisationProfile,
  getPathAt,
  getSuccessions,
  getTreeAsNow,
  getTreeAt,
  listEvents,
  resolveAsNow,
  searchOrganisationsAt,
} from '../../services/hierarchy-query.service.js';
import type { ApiContext } from '../api-context.js';
import {
  presentAsNow,
  presentEvent,
  presentOrganisation,
  presentProfile,
  presentTree,
  presentTreeAsNow,
} from './organisation.presenter.js';
import {
  asAtQuerySchema,
  codeParamsSchema,
  eventsResponseSchema,
  pagingQuerySchema,
  pathQuerySchema,
  pathResponseSchema,
  profileResponseSchema,
  searchQuerySchema,
  searchResponseSchema,
  successionsQuerySchema,
  successionsResponseSchema,
  timelineQuerySchema,
  treeQuerySchema,
  treeResponseSchema,
} from './organisation.schemas.js';

/** Organisations and the effective-dated hierarchy: thin routes that validate, call a service, present. */
export function organisationRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.get(
      '/api/organisations',
      {
        schema: {
          summary: 'Search organisations by ODS code or name, as at a date',
          tags: ['organisations'],
          querystring: searchQuerySchema,
          response: { 200: searchResponseSchema },
        },
      },
      async (request) => {
        const asAt = request.query.asAt ?? today();
        const result = await searchOrganisationsAt(db, {
          asAt,
          limit: request.query.limit,
          offset: request.query.offset,
          ...(request.query.q ? { text: request.query.q } : {}),
          ...(request.query.kind ? { kinds: request.query.kind } : {}),
        });
        return {
          meta: await getDatasetNotice(db),
          asAt,
          total: result.total,
          organisations: result.organisations.map(presentOrganisation),
        };
      },
    );

    app.get(
      '/api/organisations/:code',
      {
        schema: {
          summary: 'An organisation: details and place as at a date, and its whole history',
          tags: ['organisations'],
          params: codeParamsSchema,
          querystring: asAtQuerySchema,
          response: { 200: profileResponseSchema },
        },
      },
      async (request) => {
        const profile = await getOrganisationProfile(db, request.params.code, request.query.asAt ?? today());
        return { meta: await getDatasetNotice(db), ...presentProfile(profile) };
      },
    );

    app.get(
      '/api/organisations/:code/path',
      {
        schema: {
          summary: 'The path from England to an organisation as at a date, or as now',
          tags: ['organisations'],
          params: codeParamsSchema,
          querystring: pathQuerySchema,
          response: { 200: pathResponseSchema },
        },
      },
      async (request) => {
        const asAt = request.query.asAt ?? today();
        const meta = await getDatasetNotice(db);
        if (request.query.structure === 'as-now') {
          const resolution = await resolveAsNow(db, request.params.code, today());
          return { meta, asAt, structure: 'as-now' as const, path: [], asNow: presentAsNow(resolution) };
        }
        const path = await getPathAt(db, request.params.code, asAt);
        return { meta, asAt, structure: 'as-at' as const, path: path.map(presentOrganisation), asNow: null };
      },
    );

    app.get(
      '/api/organisations/:code/events',
      {
        schema: {
          summary: 'Hierarchy events an organisation took part in',
          tags: ['organisations'],
          params: codeParamsSchema,
          querystring: pagingQuerySchema,
          response: { 200: eventsResponseSchema },
        },
      },
      async (request) => {
        const result = await listEvents(db, { odsCode: request.params.code, ...request.query });
        return {
          meta: await getDatasetNotice(db),
          total: result.total,
          events: result.events.map(presentEvent),
        };
      },
    );

    app.get(
      '/api/organisations/:code/successors',
      {
        schema: {
          summary:
            'Predecessors and successors (ODS successions, chains followed) and the current organisation(s)',
          tags: ['organisations'],
          params: codeParamsSchema,
          querystring: successionsQuerySchema,
          response: { 200: successionsResponseSchema },
        },
      },
      async (request) => {
        const history = await getSuccessions(db, request.params.code, request.query.today ?? today());
        return {
          meta: await getDatasetNotice(db),
          odsCode: request.params.code,
          predecessors: history.predecessors,
          successors: history.successors,
          asNow: presentAsNow(history.asNow),
        };
      },
    );

    app.get(
      '/api/hierarchy/tree',
      {
        schema: {
          summary: 'The hierarchy under England (or another organisation) as at a date, or as now',
          tags: ['hierarchy'],
          querystring: treeQuerySchema,
          response: { 200: treeResponseSchema },
        },
      },
      async (request) => {
        const asAt = request.query.asAt ?? today();
        const meta = await getDatasetNotice(db);
        const options = {
          depth: request.query.depth,
          ...(request.query.root ? { rootCode: request.query.root } : {}),
        };
        if (request.query.structure === 'as-now') {
          const result = await getTreeAsNow(db, { ...options, asAt, today: today() });
          return { meta, asAt, structure: 'as-now' as const, today: today(), ...presentTreeAsNow(result) };
        }
        const tree = await getTreeAt(db, { ...options, asAt });
        return {
          meta,
          asAt,
          structure: 'as-at' as const,
          today: today(),
          counts: tree.counts,
          root: presentTree(tree.root, tree.roles),
          unmapped: [],
        };
      },
    );

    app.get(
      '/api/hierarchy/events',
      {
        schema: {
          summary: 'The timeline of hierarchy events (restructures, mergers, openings, closures)',
          tags: ['hierarchy'],
          querystring: timelineQuerySchema,
          response: { 200: eventsResponseSchema },
        },
      },
      async (request) => {
        const { type, from, to, ...paging } = request.query;
        const result = await listEvents(db, {
          ...paging,
          ...(type ? { types: type } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        });
        return {
          meta: await getDatasetNotice(db),
          total: result.total,
          events: result.events.map(presentEvent),
        };
      },
    );
  };
}
