import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type Problem } from '../domain/errors.js';

/** The one place where error codes become HTTP statuses. */
export const httpStatusOf: Record<ErrorCode, number> = {
  'invalid-input': 400,
  'invalid-file': 422,
  'not-found': 404,
  conflict: 409,
  'database-in-use': 503,
  unauthenticated: 401,
  forbidden: 403,
  'too-many-requests': 429,
};

export interface ErrorBody {
  error: { code: ErrorCode | 'internal'; message: string; problems: Problem[]; requestId: string };
}

/** PostgreSQL errors that mean "the request conflicts with what is stored", not a server fault. */
function databaseConflict(error: unknown): string | null {
  const code = (error as { code?: unknown }).code;
  if (code === '23505') return 'That record already exists.';
  if (code === '23P01') return 'That change overlaps a period already recorded.';
  if (code === 'P0001') return (error as Error).message;
  // A serialization failure or deadlock: PostgreSQL rolled the whole transaction back, so nothing was saved.
  if (code === '40001' || code === '40P01')
    return 'Someone else changed this at the same moment, and nothing was saved: try again.';
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const requestId = String(request.id);
    if (error instanceof AppError) {
      const body: ErrorBody = {
        error: { code: error.code, message: error.message, problems: error.problems, requestId },
      };
      return reply.status(httpStatusOf[error.code]).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const problems: Problem[] = error.validation.map((issue) => {
        const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || where;
        return { field, message: `${field}: ${issue.message}` };
      });
      const body: ErrorBody = {
        error: { code: 'invalid-input', message: `The ${where} is not valid.`, problems, requestId },
      };
      return reply.status(400).send(body);
    }
    const conflict = databaseConflict(error);
    if (conflict) {
      return reply
        .status(409)
        .send({ error: { code: 'conflict', message: conflict, problems: [], requestId } });
    }
    if (error.statusCode === 429) {
      return reply.status(429).send({
        error: {
          code: 'too-many-requests',
          message: `Too many attempts. ${error.message.replace(/^Rate limit exceeded, /, 'Wait and ')}.`,
          problems: [],
          requestId,
        },
      });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send({
        error: { code: 'invalid-input', message: error.message, problems: [], requestId },
      });
    }
    request.log.error({ err: error }, 'request failed');
    // No stack traces or internals to clients: the request id finds the log entry.
    return reply.status(500).send({
      error: {
        code: 'internal',
        message: `Something went wrong on the server. Quote request ${requestId} when reporting it.`,
        problems: [],
        requestId,
      },
    });
  });
}
