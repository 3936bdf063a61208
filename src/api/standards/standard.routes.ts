import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../domain/errors.js';
import { actorOf } from '../../services/identity.service.js';
import {
  createStandard,
  declare,
  getDeclaration,
  getRegister,
  getStandardDetail,
  listOverdue,
  listStandardViews,
  publishDeclarations,
  publishStandard,
} from '../../services/standard.service.js';
import type { ApiContext } from '../api-context.js';
import {
  declarationBodySchema,
  declarationParams,
  declarationResponseSchema,
  overdueResponseSchema,
  publishDeclarationsBodySchema,
  publishDeclarationsResponseSchema,
  registerResponseSchema,
  standardBodySchema,
  standardDetailResponseSchema,
  standardParams,
  standardQuery,
  standardResponseSchema,
  standardsResponseSchema,
} from './standard.schemas.js';

/** Comply or explain: the register of standards, boards' declarations, adoption, the overdue and the public register. */
export function standardRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db, today } = context;
  return async (app) => {
    app.get(
      '/api/standards',
      {
        schema: {
          summary: "Every standard you may see (drafts for national directors), with England's adoption",
          tags: ['standards'],
          response: { 200: standardsResponseSchema },
        },
      },
      async (request) => ({ standards: await listStandardViews(db, request.caller.principal, today()) }),
    );

    app.post(
      '/api/standards',
      {
        schema: {
          summary: 'Add a standard as a draft (national directors)',
          tags: ['standards'],
          body: standardBodySchema,
          response: { 200: standardResponseSchema },
        },
      },
      async (request) => {
        const { principal } = request.caller;
        return {
          standard: await createStandard(
            db,
            { principal, actor: actorOf(principal, String(request.id)) },
            request.body,
            today(),
          ),
        };
      },
    );

    app.get(
      '/api/standards/register',
      {
        schema: {
          summary: 'The public register: the published declarations of published standards',
          tags: ['standards'],
          querystring: standardQuery,
          response: { 200: registerResponseSchema },
        },
      },
      async (request) => ({ entries: await getRegister(db, today(), request.query.standard) }),
    );

    app.get(
      '/api/standards/overdue',
      {
        schema: {
          summary: 'Boards that have not declared against a standard in effect after declarations were due',
          tags: ['standards'],
          querystring: standardQuery,
          response: { 200: overdueResponseSchema },
        },
      },
      async (request) => ({
        asAt: today(),
        overdue: await listOverdue(db, request.caller.principal, today(), request.query.standard),
      }),
    );

    app.get(
      '/api/standards/:code',
      {
        schema: {
          summary:
            'One standard with adoption for England, each region and each ICB, the overdue and declarations',
          tags: ['standards'],
          params: standardParams,
          response: { 200: standardDetailResponseSchema },
        },
      },
      async (request) => getStandardDetail(db, request.caller.principal, request.params.code, today()),
    );

    app.post(
      '/api/standards/:code/publish',
      {
        schema: {
          summary: 'Publish a draft standard (national directors)',
          tags: ['standards'],
          params: standardParams,
          response: { 200: standardResponseSchema },
        },
      },
      async (request) => {
        const { principal } = request.caller;
        return {
          standard: await publishStandard(
            db,
            { principal, actor: actorOf(principal, String(request.id)) },
            request.params.code,
            today(),
          ),
        };
      },
    );

    app.post(
      '/api/standards/:code/declarations/publish',
      {
        schema: {
          summary: 'Put declarations on the public register (national directors and analysts)',
          tags: ['standards'],
          params: standardParams,
          body: publishDeclarationsBodySchema,
          response: { 200: publishDeclarationsResponseSchema },
        },
      },
      async (request) => {
        const { principal } = request.caller;
        return publishDeclarations(
          db,
          { principal, actor: actorOf(principal, String(request.id)) },
          request.params.code,
          request.body?.organisations,
          today(),
        );
      },
    );

    app.get(
      '/api/standards/:code/declarations/:org',
      {
        schema: {
          summary:
            "A board's declaration against a standard, with its versions for those whose roles cover it",
          tags: ['standards'],
          params: declarationParams,
          response: { 200: declarationResponseSchema },
        },
      },
      async (request) =>
        getDeclaration(db, request.caller.principal, request.params.code, request.params.org, today()),
    );

    app.put(
      '/api/standards/:code/declarations/:org',
      {
        schema: {
          summary:
            "Make or revise a board's declaration: comply with evidence, or explain with a dated plan (the board's own members; ICB leads for the ICB)",
          tags: ['standards'],
          params: declarationParams,
          body: declarationBodySchema,
          response: { 200: declarationResponseSchema },
        },
      },
      async (request) => {
        const { principal } = request.caller;
        if (principal.kind === 'public')
          throw new AppError('unauthenticated', 'Sign in to make a comply-or-explain declaration.');
        return declare(
          db,
          { principal, actor: actorOf(principal, String(request.id)) },
          request.params.code,
          request.params.org,
          request.body,
          today(),
        );
      },
    );
  };
}
