import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pingDb } from './db/db.js';

// Liveness plus a real round trip to the database, so a load balancer sees a broken store.
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Service and database health',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), engine: Type.String(), time: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), engine: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await pingDb(app.ctx.db);
        return { status: 'ok' as const, engine: app.ctx.engine, time: app.ctx.clock.now().toISOString() };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, engine: app.ctx.engine });
      }
    },
  );
};
