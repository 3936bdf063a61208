import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addFeed,
  authoriseFeedChange,
  getFeed,
  listFeedRuns,
  listFeeds,
  runFeed,
  setFeedEnabled,
} from '../../services/feed.service.js';
import { actorOf } from '../../services/identity.service.js';
import type { ApiContext } from '../api-context.js';
import {
  feedBodySchema,
  feedCodeParams,
  feedResponseSchema,
  feedRunResponseSchema,
  feedRunsQuerySchema,
  feedRunsResponseSchema,
  feedsResponseSchema,
} from './feed.schemas.js';

/** Feeds: published files fetched on a schedule, and the log of every run. Changes need a national director. */
export function feedRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db } = context;
  return async (app) => {
    app.get(
      '/api/feeds',
      {
        schema: {
          summary: 'Every feed: address, schedule, next run and the latest outcome',
          tags: ['imports'],
          response: { 200: feedsResponseSchema },
        },
      },
      async () => ({ feeds: await listFeeds(db) }),
    );

    app.get(
      '/api/feeds/:code',
      {
        schema: {
          summary: 'One feed',
          tags: ['imports'],
          params: feedCodeParams,
          response: { 200: feedResponseSchema },
        },
      },
      async (request) => ({ feed: await getFeed(db, request.params.code) }),
    );

    app.post(
      '/api/feeds',
      {
        schema: {
          summary:
            'Add a feed: a published statistics file fetched from an address every so many hours (national directors)',
          tags: ['imports'],
          body: feedBodySchema,
          response: { 201: feedResponseSchema },
        },
      },
      async (request, reply) => {
        await authoriseFeedChange(db, request.caller.principal);
        const feed = await addFeed(db, actorOf(request.caller.principal, String(request.id)), request.body);
        return reply.status(201).send({ feed });
      },
    );

    for (const [action, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post(
        `/api/feeds/:code/${action}`,
        {
          schema: {
            summary: enabled
              ? 'Turn a feed’s schedule on (national directors)'
              : 'Turn a feed’s schedule off; it can still be run by hand (national directors)',
            tags: ['imports'],
            params: feedCodeParams,
            response: { 200: feedResponseSchema },
          },
        },
        async (request) => {
          await authoriseFeedChange(db, request.caller.principal);
          return {
            feed: await setFeedEnabled(
              db,
              actorOf(request.caller.principal, String(request.id)),
              request.params.code,
              enabled,
            ),
          };
        },
      );
    }

    app.post(
      '/api/feeds/:code/run',
      {
        schema: {
          summary:
            'Fetch and import a feed now (national directors). The run is logged and returned whatever its outcome: a failed run stores nothing and says what was wrong; 409 while another run holds the feed',
          tags: ['imports'],
          params: feedCodeParams,
          response: { 200: feedRunResponseSchema },
        },
      },
      async (request) => {
        await authoriseFeedChange(db, request.caller.principal);
        const feeds = context.feeds;
        // buildServer is also used without a database handle (tests of other routes); serve always gives one.
        if (!feeds) throw new Error('This server was started without what running feeds needs.');
        return {
          run: await runFeed(
            feeds.handle,
            request.params.code,
            actorOf(request.caller.principal, String(request.id)),
            {
              open: feeds.open,
            },
          ),
        };
      },
    );

    app.get(
      '/api/feeds/:code/runs',
      {
        schema: {
          summary: 'A feed’s runs, newest first, each with its outcome, counts and message',
          tags: ['imports'],
          params: feedCodeParams,
          querystring: feedRunsQuerySchema,
          response: { 200: feedRunsResponseSchema },
        },
      },
      async (request) => ({ runs: await listFeedRuns(db, request.params.code, request.query.limit) }),
    );
  };
}
