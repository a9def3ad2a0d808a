// The one place where errors become HTTP answers: typed AppErrors keep their code and message,
// validation errors name the field, and any other failure is a 500 whose body says nothing internal.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, STATUS_BY_KIND } from './errors.js';

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err.details !== undefined) body.error.details = err.details;
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (err.kind === 'rate_limited' && typeof retryAfter === 'number')
        reply.header('retry-after', retryAfter);
      return reply.status(STATUS_BY_KIND[err.kind]).send(body);
    }
    if (err.validation) {
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: err.message,
          details: err.validation.map((v) => ({ path: v.instancePath || v.params, message: v.message })),
        },
      } satisfies ErrorBody);
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply
        .status(500)
        .send({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
    }
    // Fastify's own 4xx (bad JSON, body too large, unsupported media type) keep their code.
    return reply.status(status).send({
      error: {
        code: (err.code ?? 'bad_request').toLowerCase().replace(/^fst_err_/, ''),
        message: err.message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'route_not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      },
    }),
  );
}
