import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../services/identity.service.js';
import {
  addInterventionAction,
  completeInterventionAction,
  exitIntervention,
  getIntervention,
  getSignalChain,
  linkInterventionProgramme,
  listInterventions,
  recordIntervention,
  reviewIntervention,
} from '../../services/intervention.service.js';
import type { ApiContext } from '../api-context.js';
import {
  actionBodySchema,
  actionDoneBodySchema,
  chainQuerySchema,
  chainResponseSchema,
  exitBodySchema,
  interventionActionParams,
  interventionBodySchema,
  interventionListQuerySchema,
  interventionParams,
  interventionResponseSchema,
  interventionsResponseSchema,
  programmeLinkBodySchema,
  reviewBodySchema,
} from './intervention.schemas.js';

/** The interventions register and the chain from a signal in the data to the action taken, and back. */
export function interventionRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    const caller = (request: { caller: { principal: Parameters<typeof actorOf>[0] }; id: string }) => ({
      principal: request.caller.principal,
      actor: actorOf(request.caller.principal, String(request.id)),
    });

    app.get(
      '/api/interventions',
      {
        schema: {
          summary: 'Interventions the caller may see (those of a statutory function need its grant)',
          tags: ['interventions'],
          querystring: interventionListQuerySchema,
          response: { 200: interventionsResponseSchema },
        },
      },
      async (request) => ({
        interventions: await listInterventions(db, request.caller.principal, {
          ...request.query,
          today: today(),
        }),
      }),
    );

    app.post(
      '/api/interventions',
      {
        schema: {
          summary:
            'Record an intervention, naming the signal that triggered it (regional and national directors, regional teams)',
          tags: ['interventions'],
          body: interventionBodySchema,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await recordIntervention(db, caller(request), request.body, today()),
      }),
    );

    app.get(
      '/api/interventions/:id',
      {
        schema: {
          summary: 'One intervention, with its actions, reviews and the chain back to its signal',
          tags: ['interventions'],
          params: interventionParams,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await getIntervention(db, request.caller.principal, request.params.id, today()),
      }),
    );

    app.post(
      '/api/interventions/:id/reviews',
      {
        schema: {
          summary: 'Record a review and the next review date',
          tags: ['interventions'],
          params: interventionParams,
          body: reviewBodySchema,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await reviewIntervention(db, caller(request), request.params.id, request.body, today()),
      }),
    );

    app.post(
      '/api/interventions/:id/actions',
      {
        schema: {
          summary: 'Add an action with an owner and a due date',
          tags: ['interventions'],
          params: interventionParams,
          body: actionBodySchema,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await addInterventionAction(
          db,
          caller(request),
          request.params.id,
          request.body,
          today(),
        ),
      }),
    );

    app.post(
      '/api/interventions/:id/actions/:actionId/done',
      {
        schema: {
          summary: 'Mark an action done',
          tags: ['interventions'],
          params: interventionActionParams,
          body: actionDoneBodySchema,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await completeInterventionAction(
          db,
          caller(request),
          request.params.id,
          request.params.actionId,
          request.body.doneOn,
          today(),
        ),
      }),
    );

    app.post(
      '/api/interventions/:id/exit',
      {
        schema: {
          summary: 'End the intervention, saying how its exit criteria were met',
          tags: ['interventions'],
          params: interventionParams,
          body: exitBodySchema,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await exitIntervention(db, caller(request), request.params.id, request.body, today()),
      }),
    );

    app.put(
      '/api/interventions/:id/programme',
      {
        schema: {
          summary: 'Link the intervention to the programme it led to (null unlinks)',
          tags: ['interventions'],
          params: interventionParams,
          body: programmeLinkBodySchema,
          response: { 200: interventionResponseSchema },
        },
      },
      async (request) => ({
        intervention: await linkInterventionProgramme(
          db,
          caller(request),
          request.params.id,
          request.body.programme,
          today(),
        ),
      }),
    );

    app.get(
      '/api/chain',
      {
        schema: {
          summary:
            "From an organisation's metric signal: its SPC point, the segment that quarter, and the interventions, programmes and mutual aid it led to",
          tags: ['interventions'],
          querystring: chainQuerySchema,
          response: { 200: chainResponseSchema },
        },
      },
      async (request) => ({
        chain: await getSignalChain(db, request.caller.principal, { ...request.query, today: today() }),
      }),
    );
  };
}
