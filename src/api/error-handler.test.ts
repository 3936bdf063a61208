import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';

describe('error handling', () => {
  it('answers a PostgreSQL deadlock or serialization failure with 409 "try again", not 500', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    for (const code of ['40P01', '40001'])
      app.get(`/${code}`, () => {
        throw Object.assign(new Error('deadlock detected'), { code });
      });
    try {
      for (const code of ['40P01', '40001']) {
        const reply = await app.inject({ method: 'GET', url: `/${code}` });
        expect(reply.statusCode).toBe(409);
        expect(reply.json()).toMatchObject({
          error: { code: 'conflict', message: expect.stringContaining('try again') },
        });
      }
    } finally {
      await app.close();
    }
  });
});
