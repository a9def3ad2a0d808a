// The sandbox's admin surface (JSON, guarded by the admin key in `x-admin-key` or a Bearer header):
// change the catalogue, turn fault knobs, read request counts. Tests use it over HTTP or call the
// same operations on the handle that `startSandbox` returns.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxItem } from './sandbox.catalogue.js';
import type { FaultKnobs } from './sandbox.faults.js';
import { resetState, resetStats, type SandboxState } from './sandbox.state.js';
import { ConfigRefusal, configureLms, configureSaml, type SamlSettings } from './sandbox.player.js';

type IdParams = { id: string };

const notFound = (reply: FastifyReply, id: string) =>
  reply.code(404).send({ error: 'not_found', message: `No course ${id} in the sandbox.` });

const isObject = (v: unknown): v is SandboxItem => typeof v === 'object' && v !== null && !Array.isArray(v);

export function adminRoutes(state: SandboxState) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addHook('onRequest', async (req, reply) => {
      const given =
        (req.headers['x-admin-key'] as string | undefined) ??
        /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ??
        '';
      const a = crypto.createHash('sha256').update(given).digest();
      const b = crypto.createHash('sha256').update(state.adminKey).digest();
      if (!crypto.timingSafeEqual(a, b))
        return reply.code(401).send({ error: 'unauthorized', message: 'Give the admin key in x-admin-key.' });
    });

    app.get('/stats', async () => state.stats);
    app.delete('/stats', async (_req, reply) => {
      resetStats(state);
      return reply.code(204).send();
    });

    app.get('/courses', async () => ({ total: state.store.size() }));
    app.get<{ Params: IdParams }>('/courses/:id', async (req, reply) => {
      const item = state.store.get(req.params.id);
      return item ?? notFound(reply, req.params.id);
    });
    app.post('/courses', async (req, reply) => {
      if (!isObject(req.body))
        return reply.code(400).send({ error: 'invalid', message: 'Send a JSON object.' });
      try {
        return reply.code(201).send(state.store.add(req.body));
      } catch (err) {
        return reply.code(409).send({ error: 'conflict', message: (err as Error).message });
      }
    });
    app.patch<{ Params: IdParams }>('/courses/:id', async (req, reply) => {
      if (!isObject(req.body))
        return reply.code(400).send({ error: 'invalid', message: 'Send a JSON object.' });
      return state.store.edit(req.params.id, req.body) ?? notFound(reply, req.params.id);
    });
    app.post<{ Params: IdParams }>('/courses/:id/retire', async (req, reply) => {
      return state.store.retire(req.params.id) ?? notFound(reply, req.params.id);
    });
    app.delete<{ Params: IdParams }>('/courses/:id', async (req, reply) => {
      return state.store.remove(req.params.id) ? reply.code(204).send() : notFound(reply, req.params.id);
    });

    app.get('/faults', async () => state.faults.get());
    app.put('/faults', async (req, reply) => {
      if (!isObject(req.body))
        return reply.code(400).send({ error: 'invalid', message: 'Send a JSON object.' });
      try {
        return state.faults.set(req.body as Partial<FaultKnobs>);
      } catch (err) {
        return reply.code(400).send({ error: 'invalid', message: (err as Error).message });
      }
    });
    app.delete('/faults', async (_req, reply) => {
      state.faults.reset();
      return reply.code(204).send();
    });
    app.post('/tokens/invalidate', async (_req, reply) => {
      state.tokens.clear();
      return reply.code(204).send();
    });

    app.post('/customers', async (req, reply) => {
      const b = req.body as Record<string, unknown> | undefined;
      const str = (k: string) => (typeof b?.[k] === 'string' && b[k] !== '' ? (b[k] as string) : undefined);
      const customer = {
        clientId: str('clientId') ?? `sandbox-client-${crypto.randomBytes(4).toString('hex')}`,
        clientSecret: str('clientSecret') ?? crypto.randomBytes(24).toString('base64url'),
        customerIntegrationId: str('customerIntegrationId') ?? crypto.randomUUID(),
      };
      state.customers.set(customer.clientId, customer);
      return reply.code(201).send(customer);
    });

    app.put<{ Params: { ciid: string } }>('/customers/:ciid/saml', async (req, reply) => {
      if (!isObject(req.body))
        return reply.code(400).send({ error: 'invalid', message: 'Send a JSON object.' });
      try {
        const c = await configureSaml(state, req.params.ciid, req.body as SamlSettings);
        return {
          spEntityId: c.spEntityId,
          acsUrl: c.acsUrl,
          metadataUrl: c.spEntityId,
          idpEntityId: c.idpEntityId ?? null,
        };
      } catch (err) {
        if (err instanceof ConfigRefusal)
          return reply.code(err.status).send({ error: 'invalid', message: err.message });
        throw err;
      }
    });
    app.put<{ Params: { ciid: string } }>('/customers/:ciid/lms', async (req, reply) => {
      if (!isObject(req.body))
        return reply.code(400).send({ error: 'invalid', message: 'Send a JSON object.' });
      try {
        const c = configureLms(state, req.params.ciid, req.body);
        return { authUrl: c.authUrl, lmsUrl: c.lmsUrl, clientId: c.clientId };
      } catch (err) {
        if (err instanceof ConfigRefusal)
          return reply.code(err.status).send({ error: 'invalid', message: err.message });
        throw err;
      }
    });
    app.get('/statements', async () => state.deliveries);

    app.post('/reset', async (_req, reply) => {
      resetState(state);
      return reply.code(204).send();
    });
  };
}
