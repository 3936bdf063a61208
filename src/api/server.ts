import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { getDatasetNotice } from '../services/dataset.service.js';
import { startFeedScheduler } from '../services/feed-scheduler.js';
import { accessRoutes } from './access/access.routes.js';
import type { ApiContext } from './api-context.js';
import { registerAuthentication } from './auth/authentication.js';
import { registerErrorHandling } from './error-handler.js';
import { feedRoutes } from './feeds/feed.routes.js';
import { interventionRoutes } from './interventions/intervention.routes.js';
import { metaRoutes } from './meta/meta.routes.js';
import { benchmarkRoutes } from './metrics/benchmark.routes.js';
import { metricRoutes } from './metrics/metric.routes.js';
import { mutualAidRoutes } from './mutual-aid/mutual-aid.routes.js';
import { organisationRoutes } from './organisations/organisation.routes.js';
import { oversightRoutes } from './oversight/oversight.routes.js';
import { governanceRoutes } from './governance/governance.routes.js';
import { planningRoutes } from './planning/planning.routes.js';
import { programmeRoutes } from './programmes/programme.routes.js';
import { standardRoutes } from './standards/standard.routes.js';
import { submissionRoutes } from './submissions/submission.routes.js';
import { templateRoutes } from './templates/template.routes.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultWebRoot = join(repoRoot, 'dist', 'web');

function packageVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return parsed && typeof parsed === 'object' && 'version' in parsed && typeof parsed.version === 'string'
    ? parsed.version
    : 'unknown';
}

export interface ServerOptions extends ApiContext {
  /** Folder of the built web app; null serves the API only. */
  webRoot: string | null;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY). */
  trustProxy?: boolean | string[];
  /** Seconds between checks for due feeds (FEED_POLL_SECONDS); 0 or unset runs no schedule. Needs `feeds`. */
  feedPollSeconds?: number;
}

/** The API and the web app on one port. Routes are thin; everything else is in services. */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? 'info' },
    // One line per request is noise at info level; LOG_LEVEL=debug brings it back.
    logController: new LogController({ disableRequestLogging: options.logLevel !== 'debug' }),
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // Charts set style attributes; scripts and everything else come only from this site.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
    // Served over plain HTTP on a laptop by default; HSTS belongs to the HTTPS front end.
    hsts: false,
  });
  await app.register(fastifyRateLimit, { global: false });

  const version = packageVersion();
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'NHS Oversight API',
        version,
        description:
          'The effective-dated NHS hierarchy (England, regions, ICBs, trusts), with as-at and as-now views. ' +
          'Every response says whether it shows generated demonstration data (meta.demoData).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'oversight_session' },
          machineToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'ovs_<id>_<secret>, for submitting returns',
          },
        },
      },
      tags: [
        { name: 'organisations', description: 'Organisations, their paths and histories' },
        { name: 'hierarchy', description: 'The tree and its events' },
        { name: 'metrics', description: 'The metric catalogue, roll-ups and league tables' },
        {
          name: 'oversight',
          description:
            'Oversight methodologies, segmentation with drivers, regional judgements and the system view',
        },
        { name: 'imports', description: 'Imports of published files and the quarantine' },
        { name: 'planning', description: 'Planning rounds, plans, system envelopes and plan against actual' },
        {
          name: 'standards',
          description:
            'Comply-or-explain standards, declarations, adoption, overdue boards and the public register',
        },
        {
          name: 'interventions',
          description:
            'The interventions register and the chain from a signal in the data to the action taken (statutory-function records need the grant)',
        },
        {
          name: 'programmes',
          description: 'National programmes: lifecycle, contributions, milestones and reviews',
        },
        {
          name: 'governance',
          description:
            'The NHS Executive Group, NHS Assembly and regional boards: members, meetings, decisions, actions',
        },
        {
          name: 'mutual-aid',
          description: 'Mutual aid requests, offers, matching, agreement and collaboration records',
        },
        { name: 'returns', description: 'Returns submitted by organisations, and who may see them' },
        {
          name: 'access',
          description:
            'Sign-in (a session cookie, with an x-csrf-token header on changes) or a machine token (Authorization: Bearer); accounts, grants and the audit trail',
        },
        { name: 'meta', description: 'About this service' },
      ],
    },
    transform: jsonSchemaTransform,
  });

  const context: ApiContext = {
    db: options.db,
    engine: options.engine,
    today: options.today,
    oidc: options.oidc ?? null,
    secureCookies: options.secureCookies ?? false,
    feeds: options.feeds ?? null,
  };
  await registerAuthentication(app, context);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/')) {
      reply.header('x-request-id', String(request.id));
      const { demoData } = await getDatasetNotice(options.db);
      if (demoData) reply.header('x-oversight-demo-data', 'true');
    }
    return payload;
  });
  await app.register(metaRoutes(context, version));
  await app.register(organisationRoutes(context));
  await app.register(metricRoutes(context));
  await app.register(benchmarkRoutes(context));
  await app.register(oversightRoutes(context));
  await app.register(templateRoutes(context));
  await app.register(accessRoutes(context));
  await app.register(submissionRoutes(context));
  await app.register(feedRoutes(context));
  await app.register(planningRoutes(context));
  await app.register(mutualAidRoutes(context));
  await app.register(governanceRoutes(context));
  await app.register(programmeRoutes(context));
  await app.register(interventionRoutes(context));
  await app.register(standardRoutes(context));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (options.feeds && (options.feedPollSeconds ?? 0) > 0) {
    const scheduler = startFeedScheduler(options.feeds.handle, {
      open: options.feeds.open,
      pollSeconds: options.feedPollSeconds ?? 0,
      log: { info: (message) => app.log.info(message), error: (message) => app.log.error(message) },
    });
    // Closing the server stops the schedule and waits for a run in progress.
    app.addHook('onClose', async () => scheduler.stop());
  }

  const webRoot = options.webRoot && existsSync(join(options.webRoot, 'index.html')) ? options.webRoot : null;
  if (webRoot) {
    // Files are looked up on each request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // A missing file (a script, stylesheet or image) is a 404, never the app's HTML page.
    if (/\.[a-z0-9]+$/i.test(path) && !path.startsWith('/api/')) {
      return reply.status(404).type('text/plain').send(`Not found: ${path}`);
    }
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.status(404).send({
        error: {
          code: 'not-found',
          message: `There is no ${request.method} ${request.url.split('?')[0]} in this API. See /api/openapi.json.`,
          problems: [],
          requestId: String(request.id),
        },
      });
    }
    if (!webRoot) {
      return reply
        .status(404)
        .type('text/plain')
        .send('The web app has not been built. Run "npm run build" (npm start does this), then reload.');
    }
    // Client-side routes (deep links) are answered by the web app's index page.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
