import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authoriseConfiguration } from '../../services/access.service.js';
import { actorOf } from '../../services/identity.service.js';
import {
  advancePlan,
  createRound,
  getPlan,
  getPlanLayout,
  getPlanVsActual,
  getRoundSummary,
  getRoundView,
  getSystemPlan,
  listRoundViews,
  requireSignedIn,
  savePlan,
  setEnvelope,
} from '../../services/planning.service.js';
import { readPlanWorkbook, writePlanWorkbook } from '../../import/plan-workbook.js';
import { maxReturnFileBytes } from '../../domain/return-document.js';
import type { ApiContext } from '../api-context.js';
import {
  envelopeBodySchema,
  envelopeResponseSchema,
  planBodySchema,
  planUploadQuerySchema,
  planResponseSchema,
  planStepBodySchema,
  planVsActualResponseSchema,
  planWithVersionsResponseSchema,
  roundBodySchema,
  roundOrgParams,
  roundParams,
  roundResponseSchema,
  roundsResponseSchema,
  roundStepParams,
  roundSummaryResponseSchema,
  systemPlanResponseSchema,
} from './planning.schemas.js';

/** One planning process: rounds, plans through the returns' workflow, envelopes, system affordability, plan v actual. */
export function planningRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.addContentTypeParser(
      ['application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      { parseAs: 'buffer', bodyLimit: maxReturnFileBytes + 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );

    app.get(
      '/api/planning/rounds',
      {
        schema: {
          summary: 'Every planning round',
          tags: ['planning'],
          response: { 200: roundsResponseSchema },
        },
      },
      async () => ({ rounds: await listRoundViews(db, today()) }),
    );

    app.post(
      '/api/planning/rounds',
      {
        schema: {
          summary: 'Add a planning round (national directors)',
          tags: ['planning'],
          body: roundBodySchema,
          response: { 200: roundResponseSchema },
        },
      },
      async (request) => {
        await authoriseConfiguration(db, request.caller.principal, 'planning rounds');
        return {
          round: await createRound(
            db,
            actorOf(request.caller.principal, String(request.id)),
            request.body,
            today(),
          ),
        };
      },
    );

    app.get(
      '/api/planning/rounds/:round',
      {
        schema: {
          summary: 'One planning round',
          tags: ['planning'],
          params: roundParams,
          response: { 200: roundResponseSchema },
        },
      },
      async (request) => ({ round: await getRoundView(db, request.params.round, today()) }),
    );

    app.put(
      '/api/planning/rounds/:round/envelopes/:org',
      {
        schema: {
          summary:
            "Set an ICB's envelope for the round: control total and expected activity (regions, national directors)",
          tags: ['planning'],
          params: roundOrgParams,
          body: envelopeBodySchema,
          response: { 200: envelopeResponseSchema },
        },
      },
      async (request) =>
        setEnvelope(
          db,
          {
            principal: request.caller.principal,
            actor: actorOf(request.caller.principal, String(request.id)),
          },
          request.params.round,
          request.params.org,
          request.body,
        ),
    );

    app.get(
      '/api/planning/rounds/:round/plans/:org',
      {
        schema: {
          summary: "An organisation's plan with its versions and the impact of its latest revision",
          tags: ['planning'],
          params: roundOrgParams,
          response: { 200: planWithVersionsResponseSchema },
        },
      },
      async (request) => {
        requireSignedIn(request.caller.principal);
        return {
          plan: await getPlan(db, request.caller.principal, request.params.round, request.params.org),
        };
      },
    );

    app.put(
      '/api/planning/rounds/:round/plans/:org',
      {
        schema: {
          summary:
            'Save (or submit) a plan: monthly trajectories and the services agreed with other organisations',
          tags: ['planning'],
          params: roundOrgParams,
          body: planBodySchema,
          response: { 200: planResponseSchema },
        },
      },
      async (request) => ({
        plan: await savePlan(
          db,
          request.caller.principal,
          {
            round: request.params.round,
            odsCode: request.params.org,
            content: request.body.content,
            submit: request.body.submit,
            reason: request.body.reason,
            sourceFormat: 'json',
          },
          String(request.id),
        ),
      }),
    );

    app.get(
      '/api/planning/rounds/:round/plans/:org/template.xlsx',
      {
        schema: {
          summary:
            "The plan workbook to fill in: the round's items by month (with the plan so far), and the flows",
          tags: ['planning'],
          params: roundOrgParams,
        },
      },
      async (request, reply) => {
        const principal = request.caller.principal.kind === 'public' ? null : request.caller.principal;
        const layout = await getPlanLayout(db, principal, request.params.round, request.params.org);
        const bytes = await writePlanWorkbook(layout, layout.items, layout.content);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="plan-${layout.round}-${layout.odsCode}.xlsx"`)
          .send(bytes);
      },
    );

    app.post(
      '/api/planning/rounds/:round/plans/:org/upload',
      {
        bodyLimit: maxReturnFileBytes + 1024 * 1024,
        schema: {
          summary: 'Save (or submit) a plan from its filled-in workbook (the file is the request body)',
          tags: ['planning'],
          params: roundOrgParams,
          querystring: planUploadQuerySchema,
          response: { 200: planResponseSchema },
        },
      },
      async (request) => {
        // Only people signed in may have a workbook read at all (reading one is the costly part).
        requireSignedIn(request.caller.principal);
        const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const layout = await getPlanLayout(db, null, request.params.round, request.params.org);
        const content = await readPlanWorkbook(
          bytes,
          { round: layout.round, odsCode: layout.odsCode, items: layout.items.map((i) => i.code) },
          request.query.fileName,
        );
        return {
          plan: await savePlan(
            db,
            request.caller.principal,
            {
              round: request.params.round,
              odsCode: request.params.org,
              content,
              submit: request.query.submit,
              reason: request.query.reason,
              sourceFormat: 'xlsx',
            },
            String(request.id),
          ),
        };
      },
    );

    app.post(
      '/api/planning/rounds/:round/plans/:org/:step',
      {
        schema: {
          summary:
            'Move a plan on: approve (ICB), accept or lock (region), or return it for correction with a reason',
          tags: ['planning'],
          params: roundStepParams,
          body: planStepBodySchema,
          response: { 200: planResponseSchema },
        },
      },
      async (request) => ({
        plan: await advancePlan(
          db,
          request.caller.principal,
          request.params.round,
          request.params.org,
          request.params.step,
          request.body?.reason,
          String(request.id),
        ),
      }),
    );

    app.get(
      '/api/planning/rounds/:round/systems/:org',
      {
        schema: {
          summary:
            "An ICB's system plan against its envelope: the gap and its drivers, mismatches, flagged revisions",
          tags: ['planning'],
          params: roundOrgParams,
          response: { 200: systemPlanResponseSchema },
        },
      },
      async (request) => {
        requireSignedIn(request.caller.principal);
        return getSystemPlan(db, request.caller.principal, request.params.round, request.params.org);
      },
    );

    app.get(
      '/api/planning/rounds/:round/summary/:org',
      {
        schema: {
          summary: 'The round across a region or England: plans by status and each ICB against its envelope',
          tags: ['planning'],
          params: roundOrgParams,
          response: { 200: roundSummaryResponseSchema },
        },
      },
      async (request) => {
        requireSignedIn(request.caller.principal);
        return getRoundSummary(
          db,
          request.caller.principal,
          request.params.round,
          request.params.org,
          today(),
        );
      },
    );

    app.get(
      '/api/planning/rounds/:round/variance/:org',
      {
        schema: {
          summary: 'Plan against actual, month by month, for an organisation, ICB, region or England',
          tags: ['planning'],
          params: roundOrgParams,
          response: { 200: planVsActualResponseSchema },
        },
      },
      async (request) => {
        requireSignedIn(request.caller.principal);
        return getPlanVsActual(db, request.caller.principal, request.params.round, request.params.org);
      },
    );
  };
}
