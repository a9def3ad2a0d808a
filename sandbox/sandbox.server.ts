// The OpenSesame sandbox: a real HTTP server that behaves like OpenSesame as
// `specs/opensesame-api.md` describes (Okta-style token endpoint, paged `/v1/content`), with an
// admin surface (`sandbox.admin.ts`) to change the catalogue and turn fault knobs.
import crypto from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import type { Logger } from 'pino';
import type { OpenSesameConnection } from '../src/opensesame/opensesame.types.js';
import { createCatalogueStore, type CatalogueStore } from './sandbox.store.js';
import { createFaultBox, type FaultBox, type FaultKnobs } from './sandbox.faults.js';
import { adminRoutes } from './sandbox.admin.js';
import { configureLms, configureSaml, playerRoutes, type SamlSettings } from './sandbox.player.js';
import type { SpConfig } from './sandbox.saml.js';
import type { Delivery, LmsConfig, Statement } from './sandbox.lms.js';
import {
  resetState,
  resetStats,
  type SandboxCustomer,
  type SandboxState,
  type SandboxStats,
} from './sandbox.state.js';

export type { SandboxCustomer, SandboxStats } from './sandbox.state.js';

export type SandboxOptions = {
  courses: number;
  seed: number;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Guards `/admin/*`; random when not given. */
  adminKey?: string;
  /** Extra customers; the built-in one (`DEFAULT_CUSTOMER`) is always there. */
  customers?: readonly SandboxCustomer[];
  /** Where the sandbox is reached from outside (links in `next` and launch URLs); default its own URL. */
  publicUrl?: string;
  faults?: Partial<FaultKnobs>;
  log?: Logger;
  now?: () => Date;
};

export const DEFAULT_CUSTOMER: SandboxCustomer = Object.freeze({
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret-not-for-production',
  customerIntegrationId: 'sandbox-ciid-0001',
});

export const TOKEN_PATH = '/oauth2/aussandbox0000/v1/token';

export type Sandbox = {
  readonly url: string;
  readonly apiUrl: string;
  readonly tokenUrl: string;
  /** The built-in customer's connection, ready for the client. */
  readonly connection: OpenSesameConnection;
  readonly adminKey: string;
  readonly catalogue: CatalogueStore;
  readonly faults: FaultBox;
  addCustomer(customer: SandboxCustomer): void;
  /** SAML SP settings for a customer (by CIID): the IdP certificate or metadata URL. */
  configureSaml(customerIntegrationId: string, settings: SamlSettings): Promise<SpConfig>;
  /** Where the player sends completions for a customer: LMS Auth URL, LMS URL, credentials. */
  configureLms(customerIntegrationId: string, settings: LmsConfig): LmsConfig;
  /** Statements the player sent, with what the LMS answered. */
  deliveries(): Array<Delivery & { statement: Statement }>;
  /** Every token issued so far stops working (the next call gets 401). */
  invalidateTokens(): void;
  stats(): SandboxStats;
  resetStats(): void;
  /** Catalogue, faults, tokens and counters back to the start. */
  reset(): void;
  close(): Promise<void>;
};

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  let baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const now = options.now ?? (() => new Date());
  const shape = { seed: options.seed, launchBaseUrl: '' };
  const state: SandboxState = {
    // The launch base is only known once listening: the shape is completed below, before any request.
    store: createCatalogueStore(shape, options.courses, now),
    faults: createFaultBox(),
    customers: new Map(),
    tokens: new Map(),
    stats: { token: 0, content: 0, statuses: {} },
    adminKey: options.adminKey ?? crypto.randomBytes(18).toString('base64url'),
    baseUrl: () => baseUrl,
    now,
    saml: new Map(),
    lms: new Map(),
    sessions: new Map(),
    seenAssertions: new Map(),
    deliveries: [],
  };
  for (const c of [DEFAULT_CUSTOMER, ...(options.customers ?? [])]) state.customers.set(c.clientId, c);
  if (options.faults) state.faults.set(options.faults);

  const app = Fastify({
    ...(options.log ? { loggerInstance: options.log.child({ area: 'sandbox' }) } : { logger: false }),
    forceCloseConnections: true,
  });
  await app.register(formbody);
  app.addHook('onResponse', async (_req, reply) => {
    const key = String(reply.statusCode);
    state.stats.statuses[key] = (state.stats.statuses[key] ?? 0) + 1;
  });
  const pending = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        pending.delete(t);
        resolve();
      }, ms);
      pending.add(t);
    });

  app.post(TOKEN_PATH, (req, reply) => tokenRoute(state, sleep, req, reply));
  app.get('/v1/content', (req, reply) => contentRoute(state, sleep, req, reply));
  await app.register(adminRoutes(state), { prefix: '/admin' });
  await app.register(playerRoutes(state));
  app.get('/', async () => ({ name: 'OpenSesame sandbox', tokenUrl: `${baseUrl}${TOKEN_PATH}` }));

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  if (!baseUrl) baseUrl = address.replace('://[::1]', '://localhost');
  shape.launchBaseUrl = baseUrl;

  return {
    url: baseUrl,
    apiUrl: baseUrl,
    tokenUrl: `${baseUrl}${TOKEN_PATH}`,
    connection: {
      apiUrl: baseUrl,
      tokenUrl: `${baseUrl}${TOKEN_PATH}`,
      clientId: DEFAULT_CUSTOMER.clientId,
      clientSecret: DEFAULT_CUSTOMER.clientSecret,
      customerIntegrationId: DEFAULT_CUSTOMER.customerIntegrationId,
    },
    adminKey: state.adminKey,
    catalogue: state.store,
    faults: state.faults,
    addCustomer: (c) => void state.customers.set(c.clientId, c),
    configureSaml: (ciid, settings) => configureSaml(state, ciid, settings),
    configureLms: (ciid, settings) => configureLms(state, ciid, { ...settings }),
    deliveries: () => structuredClone(state.deliveries),
    invalidateTokens: () => state.tokens.clear(),
    stats: () => structuredClone(state.stats),
    resetStats: () => resetStats(state),
    reset: () => resetState(state),
    async close() {
      for (const t of pending) clearTimeout(t);
      pending.clear();
      await app.close();
    },
  };
}

type Sleep = (ms: number) => Promise<void>;

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, error_description: description });
}

/** Returns true when a fault answered the request. */
async function applyFaults(
  state: SandboxState,
  sleep: Sleep,
  endpoint: 'content' | 'token',
  reply: FastifyReply,
): Promise<boolean> {
  const delay = state.faults.takeDelay(endpoint);
  if (delay > 0) await sleep(delay);
  const fault = state.faults.decide(endpoint);
  if (fault.kind === 'rate_limit') {
    reply.code(429).header('retry-after', fault.retryAfter).send({ error: 'too_many_requests' });
    return true;
  }
  if (fault.kind === 'server_error') {
    reply.code(fault.status).send({ error: 'server_error', message: 'The sandbox is failing on purpose.' });
    return true;
  }
  return false;
}

async function tokenRoute(state: SandboxState, sleep: Sleep, req: FastifyRequest, reply: FastifyReply) {
  state.stats.token++;
  if (await applyFaults(state, sleep, 'token', reply)) return reply;
  // Okta's client_secret_basic: the credentials travel only in the Basic header.
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const customer = colon > 0 ? state.customers.get(decoded.slice(0, colon)) : undefined;
  const secret = colon > 0 ? decoded.slice(colon + 1) : '';
  if (!customer || !safeEqual(secret, customer.clientSecret))
    return oauthError(reply, 401, 'invalid_client', 'Client authentication failed.');
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.grant_type !== 'client_credentials')
    return oauthError(reply, 400, 'unsupported_grant_type', 'Only client_credentials is supported.');
  const scopes = typeof body.scope === 'string' ? body.scope.split(' ') : [];
  if (!scopes.includes('content') || scopes.some((s) => s !== 'content'))
    return oauthError(reply, 400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
  const ttl = state.faults.get().tokenTtlSeconds;
  const token = crypto.randomBytes(24).toString('base64url');
  state.tokens.set(token, { customer, expiresAt: Date.now() + ttl * 1000 });
  return reply
    .header('cache-control', 'no-store')
    .send({ token_type: 'Bearer', expires_in: ttl, access_token: token, scope: 'content' });
}

function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

const positiveInt = (v: unknown, fallback: number): number | undefined => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
};

async function contentRoute(state: SandboxState, sleep: Sleep, req: FastifyRequest, reply: FastifyReply) {
  state.stats.content++;
  const auth = req.headers.authorization ?? '';
  // The Moodle connector once sent its Basic header here and got 400s: reproduce that.
  if (/^Basic\s/i.test(auth))
    return reply
      .code(400)
      .send({ error: 'invalid_request', message: 'Basic credentials are not accepted here.' });
  const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
  const session = bearer ? state.tokens.get(bearer) : undefined;
  if (!session || session.expiresAt <= Date.now()) {
    if (bearer) state.tokens.delete(bearer);
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer error="invalid_token"')
      .send({ error: 'invalid_token' });
  }
  if (await applyFaults(state, sleep, 'content', reply)) return reply;
  const q = (req.query ?? {}) as Record<string, unknown>;
  if (q.customerIntegrationId !== session.customer.customerIntegrationId)
    return reply
      .code(403)
      .send({ error: 'forbidden', message: 'customerIntegrationId is not valid for this client.' });
  const limit = positiveInt(q.limit, 50);
  const page = positiveInt(q.page, 1);
  if (limit === undefined || limit > 50)
    return reply
      .code(400)
      .send({ error: 'invalid_request', message: 'limit must be an integer from 1 to 50.' });
  if (page === undefined)
    return reply.code(400).send({ error: 'invalid_request', message: 'page must be an integer from 1.' });

  const knobs = state.faults.get();
  const total = state.store.size();
  const data = state.store.slice((page - 1) * limit, limit);
  const more = page * limit < total || (knobs.lastPage === 'empty-page' && data.length > 0);
  const pageUrl = (p: number) =>
    `${state.baseUrl()}/v1/content?customerIntegrationId=${encodeURIComponent(session.customer.customerIntegrationId)}&limit=${limit}&page=${p}`;
  let body: Record<string, unknown>;
  if (knobs.loopNext) body = { data, paging: { next: pageUrl(1) } };
  else if (more)
    body = {
      data,
      paging: {
        next:
          knobs.nextStyle === 'url' ? pageUrl(page + 1) : Buffer.from(`p${page + 1}`).toString('base64url'),
      },
    };
  else if (knobs.lastPage === 'null') body = { data, paging: { next: null } };
  else if (knobs.lastPage === 'absent') body = { data, paging: {} };
  else if (knobs.lastPage === 'no-paging') body = { data };
  else body = { data, paging: { next: '' } };

  if (state.faults.takeCut()) {
    // Promise the whole body, send half of it, then kill the socket.
    const text = JSON.stringify(body);
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    reply.raw.write(text.slice(0, Math.floor(text.length / 2)), () => reply.raw.destroy());
    return reply;
  }
  return reply.send(body);
}
