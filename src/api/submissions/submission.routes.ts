import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  getSubmission,
  getSubmissionHistory,
  listVisibleSubmissions,
  publishSubmission,
  saveSubmission,
} from '../../services/submission.service.js';
import type { ApiContext } from '../api-context.js';
import {
  submissionBodySchema,
  submissionHistoryResponseSchema,
  submissionIdParams,
  submissionSchema,
  submissionsQuerySchema,
  submissionsResponseSchema,
} from './submission.schemas.js';

// Systems submit in bursts; a runaway sender is slowed, per token (or address).
const submitLimit = {
  rateLimit: {
    max: 120,
    timeWindow: '1 minute',
    keyGenerator: (request: { headers: Record<string, unknown>; ip: string }) =>
      typeof request.headers.authorization === 'string' ? request.headers.authorization : request.ip,
  },
};

/** Returns: submitted by organisations (people or machine tokens), read within scope, published nationally. */
export function submissionRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db } = context;
  return async (app) => {
    app.get(
      '/api/submissions',
      {
        schema: {
          summary: 'The returns you may see (published ones, and unpublished ones within your scope)',
          tags: ['returns'],
          querystring: submissionsQuerySchema,
          response: { 200: submissionsResponseSchema },
        },
      },
      async (request) => ({
        submissions: await listVisibleSubmissions(
          db,
          request.caller.principal,
          { odsCode: request.query.org },
          String(request.id),
        ),
      }),
    );

    app.put(
      '/api/submissions',
      {
        config: submitLimit,
        schema: {
          summary: 'Submit (or save as a draft) the return of an organisation for a template and month',
          tags: ['returns'],
          body: submissionBodySchema,
          response: { 200: submissionSchema },
        },
      },
      async (request) =>
        saveSubmission(
          db,
          request.caller.principal,
          {
            template: request.body.template,
            odsCode: request.body.organisation,
            periodStart: request.body.periodStart,
            statutoryFunction: request.body.statutoryFunction,
            values: request.body.values,
            submit: request.body.submit,
          },
          String(request.id),
        ),
    );

    app.get(
      '/api/submissions/:id',
      {
        schema: {
          summary: 'One return',
          tags: ['returns'],
          params: submissionIdParams,
          response: { 200: submissionSchema },
        },
      },
      async (request) => getSubmission(db, request.caller.principal, request.params.id, String(request.id)),
    );

    app.post(
      '/api/submissions/:id/publish',
      {
        schema: {
          summary: 'Publish a submitted return (national directors and analysts)',
          tags: ['returns'],
          params: submissionIdParams,
          response: { 200: submissionSchema },
        },
      },
      async (request) =>
        publishSubmission(db, request.caller.principal, request.params.id, String(request.id)),
    );

    app.get(
      '/api/submissions/:id/history',
      {
        schema: {
          summary: 'Who did what to this return, and who read it',
          tags: ['returns'],
          params: submissionIdParams,
          response: { 200: submissionHistoryResponseSchema },
        },
      },
      async (request) => ({
        events: await getSubmissionHistory(
          db,
          request.caller.principal,
          request.params.id,
          String(request.id),
        ),
      }),
    );
  };
}
