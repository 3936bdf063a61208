import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../services/identity.service.js';
import {
  agreeAidMatch,
  completeAid,
  getAidBoard,
  getAidMatching,
  getAidOffer,
  getAidRequest,
  getAidScope,
  getCollaborationRecord,
  makeAidOffer,
  proposeAidMatch,
  raiseAidRequest,
  recordAidDelivery,
  startAid,
  withdrawAid,
  withdrawAidMatch,
  withdrawAidOffer,
} from '../../services/mutual-aid.service.js';
import type { ApiContext } from '../api-context.js';
import {
  agreeBodySchema,
  boardQuery,
  boardResponseSchema,
  deliveryBodySchema,
  idParams,
  matchingQuery,
  matchingResponseSchema,
  offerBodySchema,
  offerResponseSchema,
  proposalBodySchema,
  reasonBodySchema,
  recordParams,
  recordResponseSchema,
  requestBodySchema,
  requestResponseSchema,
  scopeResponseSchema,
} from './mutual-aid.schemas.js';

/** Mutual aid: requests, offers, ranked candidates, the lifecycle, the regional board, collaboration records. */
export function mutualAidRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    const tags = ['mutual-aid'];
    const caller = (request: { caller: { principal: Parameters<typeof actorOf>[0] }; id: unknown }) => ({
      principal: request.caller.principal,
      actor: actorOf(request.caller.principal, String(request.id)),
    });

    app.get(
      '/api/mutual-aid/scope',
      {
        schema: {
          summary: 'Regions whose boards you may see, and the trusts you may raise or offer aid for',
          tags,
          response: { 200: scopeResponseSchema },
        },
      },
      async (request) => getAidScope(db, request.caller.principal, today()),
    );

    app.get(
      '/api/mutual-aid/board',
      {
        schema: {
          summary: "A region's mutual aid board: requests still needed, recently closed, and open offers",
          tags,
          querystring: boardQuery,
          response: { 200: boardResponseSchema },
        },
      },
      async (request) => getAidBoard(db, request.caller.principal, request.query.region, today()),
    );

    app.post(
      '/api/mutual-aid/requests',
      {
        schema: {
          summary: 'Raise a request for aid (the requesting trust’s leaders, its ICB or region)',
          tags,
          body: requestBodySchema,
          response: { 200: requestResponseSchema },
        },
      },
      async (request) => ({ request: await raiseAidRequest(db, caller(request), request.body, today()) }),
    );

    app.get(
      '/api/mutual-aid/requests/:id',
      {
        schema: {
          summary: 'A request with its matches, agreements, deliveries and history',
          tags,
          params: idParams,
          response: { 200: requestResponseSchema },
        },
      },
      async (request) => ({
        request: await getAidRequest(db, request.caller.principal, request.params.id, today()),
      }),
    );

    app.get(
      '/api/mutual-aid/requests/:id/candidates',
      {
        schema: {
          summary: 'Ranked candidates for a request: offers, then organisations, same ICB → region → England',
          tags,
          params: idParams,
          querystring: matchingQuery,
          response: { 200: matchingResponseSchema },
        },
      },
      async (request) =>
        getAidMatching(db, request.caller.principal, request.params.id, today(), request.query.limit),
    );

    app.post(
      '/api/mutual-aid/requests/:id/matches',
      {
        schema: {
          summary: 'Propose part of a request from an offer or an organisation',
          tags,
          params: idParams,
          body: proposalBodySchema,
          response: { 200: requestResponseSchema },
        },
      },
      async (request) => ({
        request: await proposeAidMatch(db, caller(request), request.params.id, request.body, today()),
      }),
    );

    for (const [step, summary] of [
      ['start', 'Start agreed aid (either side, or the region)'],
      ['complete', 'Complete aid in progress, with what was delivered'],
      ['withdraw', 'Withdraw a request, with a reason (its requester, or the region)'],
    ] as const)
      app.post(
        `/api/mutual-aid/requests/:id/${step}`,
        {
          schema: {
            summary,
            tags,
            params: idParams,
            body: reasonBodySchema.nullish(),
            response: { 200: requestResponseSchema },
          },
        },
        async (request) => {
          const reason = request.body?.reason;
          const who = caller(request);
          const id = request.params.id;
          return {
            request:
              step === 'start'
                ? await startAid(db, who, id, today())
                : step === 'complete'
                  ? await completeAid(db, who, id, reason, today())
                  : await withdrawAid(db, who, id, reason, today()),
          };
        },
      );

    app.post(
      '/api/mutual-aid/matches/:id/agree',
      {
        schema: {
          summary: "Agree a proposed match for one side (the requester's or the provider's)",
          tags,
          params: idParams,
          body: agreeBodySchema,
          response: { 200: requestResponseSchema },
        },
      },
      async (request) => ({
        request: await agreeAidMatch(db, caller(request), request.params.id, request.body.for, today()),
      }),
    );

    app.post(
      '/api/mutual-aid/matches/:id/deliveries',
      {
        schema: {
          summary: 'Record a quantity delivered on a match in progress',
          tags,
          params: idParams,
          body: deliveryBodySchema,
          response: { 200: requestResponseSchema },
        },
      },
      async (request) => ({
        request: await recordAidDelivery(
          db,
          caller(request),
          request.params.id,
          request.body.quantity,
          today(),
        ),
      }),
    );

    app.post(
      '/api/mutual-aid/matches/:id/withdraw',
      {
        schema: {
          summary: 'Withdraw a proposed or agreed match, with a reason (either side)',
          tags,
          params: idParams,
          body: reasonBodySchema,
          response: { 200: requestResponseSchema },
        },
      },
      async (request) => ({
        request: await withdrawAidMatch(db, caller(request), request.params.id, request.body.reason, today()),
      }),
    );

    app.post(
      '/api/mutual-aid/offers',
      {
        schema: {
          summary: 'Offer capacity a trust can spare',
          tags,
          body: offerBodySchema,
          response: { 200: offerResponseSchema },
        },
      },
      async (request) => ({ offer: await makeAidOffer(db, caller(request), request.body, today()) }),
    );

    app.get(
      '/api/mutual-aid/offers/:id',
      { schema: { summary: 'One offer', tags, params: idParams, response: { 200: offerResponseSchema } } },
      async (request) => ({
        offer: await getAidOffer(db, request.caller.principal, request.params.id, today()),
      }),
    );

    app.post(
      '/api/mutual-aid/offers/:id/withdraw',
      {
        schema: {
          summary: 'Withdraw what is left of an offer, with a reason',
          tags,
          params: idParams,
          body: reasonBodySchema,
          response: { 200: offerResponseSchema },
        },
      },
      async (request) => ({
        offer: await withdrawAidOffer(db, caller(request), request.params.id, request.body.reason, today()),
      }),
    );

    app.get(
      '/api/organisations/:code/collaboration',
      {
        schema: {
          summary:
            'Aid an organisation gave and received in the last 12 months (evidence of the duty to collaborate)',
          tags,
          params: recordParams,
          response: { 200: recordResponseSchema },
        },
      },
      async (request) => ({
        record: await getCollaborationRecord(db, request.caller.principal, request.params.code, today()),
      }),
    );
  };
}
