import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invalidInput } from '../../domain/errors.js';
import { isPeriodStart } from '../../domain/period.js';
import { maxReturnFileBytes } from '../../domain/return-document.js';
import {
  detectReturnFormat,
  readReturn,
  returnContentTypes,
  returnFileExtension,
  writeReturn,
} from '../../import/return-formats.js';
import {
  advanceSubmission,
  getReturnLayout,
  getSubmission,
  getSubmissionDocument,
  getSubmissionHistory,
  getSubmissionVersions,
  listVisibleSubmissions,
  publishSubmission,
  saveSubmission,
} from '../../services/submission.service.js';
import type { ApiContext } from '../api-context.js';
import {
  blankTemplateQuerySchema,
  exportQuerySchema,
  idempotencyHeaders,
  submissionBodySchema,
  submissionHistoryResponseSchema,
  submissionIdParams,
  submissionSchema,
  submissionStepBodySchema,
  submissionStepParams,
  submissionsQuerySchema,
  submissionsResponseSchema,
  submissionVersionsResponseSchema,
  uploadQuerySchema,
} from './submission.schemas.js';
import { templateCodeParams } from '../templates/template.schemas.js';

// Systems submit in bursts; a runaway sender is slowed, per token (or address).
const submitLimit = {
  rateLimit: {
    max: 120,
    timeWindow: '1 minute',
    keyGenerator: (request: { headers: Record<string, unknown>; ip: string }) =>
      typeof request.headers.authorization === 'string' ? request.headers.authorization : request.ip,
  },
};

// Uploaded files arrive as raw bytes whatever their type; the reader decides what they are.
const uploadTypes = [
  'application/octet-stream',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/fhir+json',
  'application/xml',
  'text/xml',
];

/**
 * Returns: submitted by organisations (people or machine tokens) as JSON or as a file in any of the
 * formats, approved by ICBs, accepted and locked by regions, read within scope, published nationally.
 */
export function submissionRoutes(context: ApiContext): FastifyPluginAsyncZod {
  const { db } = context;
  return async (app) => {
    app.addContentTypeParser(
      uploadTypes,
      { parseAs: 'buffer', bodyLimit: maxReturnFileBytes + 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );

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
          summary: 'Submit (or save as a draft) the return of an organisation for a template and period',
          description:
            'All or nothing: a return with errors stores nothing. Data-quality warnings need an explanation before submission. A locked return is resubmitted with a reason and becomes a new version.',
          tags: ['returns'],
          headers: idempotencyHeaders,
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
            explanations: request.body.explanations,
            submit: request.body.submit,
            reason: request.body.reason,
            sourceFormat: request.body.source,
            idempotencyKey: request.headers['idempotency-key'],
          },
          String(request.id),
        ),
    );

    app.post(
      '/api/submissions/upload',
      {
        config: submitLimit,
        bodyLimit: maxReturnFileBytes + 1024 * 1024,
        schema: {
          summary: 'Submit a return as a file: CSV, the generated XLSX, JSON, FHIR R4 MeasureReport or ADX',
          description: `The request body is the file itself (up to ${maxReturnFileBytes / 1024 / 1024} MiB).`,
          tags: ['returns'],
          headers: idempotencyHeaders,
          querystring: uploadQuerySchema,
          response: { 200: submissionSchema },
        },
      },
      async (request) => {
        const bytes = Buffer.isBuffer(request.body)
          ? request.body
          : Buffer.from(JSON.stringify(request.body ?? ''));
        const { template, fileName, submit, reason } = request.query;
        const layout = await getReturnLayout(db, template);
        const format = request.query.format ?? detectReturnFormat(fileName, bytes);
        const document = await readReturn(format, bytes, layout, fileName);
        return saveSubmission(
          db,
          request.caller.principal,
          {
            template: document.template,
            odsCode: document.odsCode,
            periodStart: document.periodStart,
            values: document.values,
            explanations: document.explanations,
            locations: document.locations,
            submit,
            reason,
            sourceFormat: format,
            idempotencyKey: request.headers['idempotency-key'],
          },
          String(request.id),
        );
      },
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

    app.get(
      '/api/submissions/:id/versions',
      {
        schema: {
          summary:
            'Every version of a return, each with what changed from the one before, and the one reporting uses',
          tags: ['returns'],
          params: submissionIdParams,
          response: { 200: submissionVersionsResponseSchema },
        },
      },
      async (request) =>
        getSubmissionVersions(db, request.caller.principal, request.params.id, String(request.id)),
    );

    app.get(
      '/api/submissions/:id/export',
      {
        schema: {
          summary: 'A return as a file: CSV, XLSX, JSON, FHIR R4 MeasureReport or ADX',
          tags: ['returns'],
          params: submissionIdParams,
          querystring: exportQuerySchema,
        },
      },
      async (request, reply) => {
        const { format, version } = request.query;
        const document = await getSubmissionDocument(
          db,
          request.caller.principal,
          request.params.id,
          version,
          String(request.id),
        );
        const layout = await getReturnLayout(db, document.template);
        const body = await writeReturn(format, document, layout);
        const name = `${document.template}-${document.odsCode}-${document.periodStart}${returnFileExtension[format]}`;
        return reply
          .type(returnContentTypes[format])
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(body);
      },
    );

    app.get(
      '/api/templates/:code/download',
      {
        schema: {
          summary:
            'The blank return of a template for an organisation and period (the XLSX to fill in, or any format)',
          tags: ['returns'],
          params: templateCodeParams,
          querystring: blankTemplateQuerySchema,
        },
      },
      async (request, reply) => {
        const { format, org, period } = request.query;
        const layout = await getReturnLayout(db, request.params.code);
        const odsCode = org.trim().toUpperCase();
        if (!isPeriodStart(layout.periodType, period))
          throw invalidInput(`${period} is not the start of a ${layout.periodType} period.`, [
            { field: 'period', message: `Enter the first day of a ${layout.periodType}` },
          ]);
        const body = await writeReturn(
          format,
          {
            template: layout.code,
            odsCode,
            periodStart: period,
            values: {},
            explanations: {},
            locations: {},
          },
          layout,
        );
        const name = `${layout.code}-${odsCode}-${period}${returnFileExtension[format]}`;
        return reply
          .type(returnContentTypes[format])
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(body);
      },
    );

    app.post(
      '/api/submissions/:id/:step',
      {
        schema: {
          summary:
            'Move a return on: approve (ICB), accept or lock (region), or return it for correction with a reason',
          tags: ['returns'],
          params: submissionStepParams,
          body: submissionStepBodySchema,
          response: { 200: submissionSchema },
        },
      },
      async (request) =>
        advanceSubmission(
          db,
          request.caller.principal,
          request.params.id,
          request.params.step,
          request.body?.reason,
          String(request.id),
        ),
    );

    app.post(
      '/api/submissions/:id/publish',
      {
        schema: {
          summary: 'Publish an accepted return (national directors and analysts)',
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
