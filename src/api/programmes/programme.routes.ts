import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addMilestone,
  advanceProgramme,
  completeMilestone,
  createProgramme,
  getProgramme,
  listProgrammes,
  programmeCaller,
  recordContribution,
  recordReviewOutcome,
  scheduleReview,
} from '../../services/programme.service.js';
import type { ApiContext } from '../api-context.js';
import {
  contributionBodySchema,
  contributionParams,
  contributionResponseSchema,
  itemParams,
  milestoneBodySchema,
  milestoneCompletionBodySchema,
  programmeBodySchema,
  programmeParams,
  programmeResponseSchema,
  programmesResponseSchema,
  reviewBodySchema,
  reviewOutcomeBodySchema,
  stageBodySchema,
} from './programme.schemas.js';

/**
 * National programmes: read by anyone (they are public information); created, moved, and given
 * milestones and reviews by national directors; contributions recorded by regions and ICBs.
 */
export function programmeRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  const tags = ['programmes'];
  return async (app) => {
    app.get(
      '/api/programmes',
      {
        schema: {
          summary: 'Every national programme, with its stage, next review and overdue milestones',
          tags,
          response: { 200: programmesResponseSchema },
        },
      },
      async () => ({ programmes: await listProgrammes(db, today()) }),
    );

    app.post(
      '/api/programmes',
      {
        schema: {
          summary: 'Propose a national programme (national directors)',
          tags,
          body: programmeBodySchema,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await createProgramme(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.body,
          today(),
        ),
      }),
    );

    app.get(
      '/api/programmes/:code',
      {
        schema: {
          summary:
            'One programme: stage history, linked metrics against trajectory (England and regions), contributions, milestones, reviews',
          tags,
          params: programmeParams,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await getProgramme(db, request.caller.principal, request.params.code, today()),
      }),
    );

    app.post(
      '/api/programmes/:code/stage',
      {
        schema: {
          summary: 'Move a programme to another stage of its lifecycle, with the reason (national directors)',
          tags,
          params: programmeParams,
          body: stageBodySchema,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await advanceProgramme(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.params.code,
          request.body,
          today(),
        ),
      }),
    );

    app.put(
      '/api/programmes/:code/contributions/:org',
      {
        schema: {
          summary:
            "Record a region's or ICB's contribution (its regional directors and teams, its ICB leads, national directors)",
          tags,
          params: contributionParams,
          body: contributionBodySchema,
          response: { 200: contributionResponseSchema },
        },
      },
      async (request) => ({
        contribution: await recordContribution(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.params.code,
          request.params.org,
          request.body,
          today(),
        ),
      }),
    );

    app.post(
      '/api/programmes/:code/milestones',
      {
        schema: {
          summary: 'Add a milestone (national directors)',
          tags,
          params: programmeParams,
          body: milestoneBodySchema,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await addMilestone(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.params.code,
          request.body,
          today(),
        ),
      }),
    );

    app.post(
      '/api/programmes/:code/milestones/:id/complete',
      {
        schema: {
          summary: 'Record that a milestone was completed (national directors)',
          tags,
          params: itemParams,
          body: milestoneCompletionBodySchema,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await completeMilestone(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.params.code,
          request.params.id,
          request.body,
          today(),
        ),
      }),
    );

    app.post(
      '/api/programmes/:code/reviews',
      {
        schema: {
          summary: 'Schedule a review (national directors)',
          tags,
          params: programmeParams,
          body: reviewBodySchema,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await scheduleReview(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.params.code,
          request.body,
          today(),
        ),
      }),
    );

    app.post(
      '/api/programmes/:code/reviews/:id/outcome',
      {
        schema: {
          summary:
            "Record a held review's outcome and decision (continue, change, close), which moves the programme's stage (national directors)",
          tags,
          params: itemParams,
          body: reviewOutcomeBodySchema,
          response: { 200: programmeResponseSchema },
        },
      },
      async (request) => ({
        programme: await recordReviewOutcome(
          db,
          programmeCaller(request.caller.principal, String(request.id)),
          request.params.code,
          request.params.id,
          request.body,
          today(),
        ),
      }),
    );
  };
}
