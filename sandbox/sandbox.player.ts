// The sandbox's learner side: the SAML ACS (`/saml/acs`), SP metadata, and the course player whose
// Finish button makes the sandbox send the completion statement to the customer's LMS, as
// OpenSesame does.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request } from 'undici';
import {
  checkKey,
  claimedAudiences,
  parseIdpMetadata,
  SamlRefusal,
  spMetadata,
  verifySamlResponse,
  type SpConfig,
} from './sandbox.saml.js';
import { buildCompletionStatement, deliverStatement, type LmsConfig } from './sandbox.lms.js';
import { customerByCiid, type PlayerSession, type SandboxState } from './sandbox.state.js';

const COOKIE = 'sbx_session';
const SESSION_MS = 8 * 3_600_000;

export type SamlSettings = {
  idpCertificate?: string;
  idpMetadataUrl?: string;
  idpEntityId?: string;
  spEntityId?: string;
};

export class ConfigRefusal extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

/** An opaque per-customer SP key: the CIID is a secret and must not show in public URLs. */
const spKey = (ciid: string) => crypto.createHash('sha256').update(ciid).digest('hex').slice(0, 16);

export async function configureSaml(
  state: SandboxState,
  ciid: string,
  input: SamlSettings,
): Promise<SpConfig> {
  if (!customerByCiid(state, ciid)) throw new ConfigRefusal(404, 'No such customer in the sandbox.');
  let certificate = input.idpCertificate;
  let entityId = input.idpEntityId;
  if (input.idpMetadataUrl) {
    if (!/^https?:\/\//.test(input.idpMetadataUrl))
      throw new ConfigRefusal(400, 'idpMetadataUrl must be http(s).');
    try {
      const res = await request(input.idpMetadataUrl, { signal: AbortSignal.timeout(5000) });
      const meta = parseIdpMetadata(await res.body.text());
      certificate ??= meta.certificate;
      entityId ??= meta.entityId;
    } catch (err) {
      throw new ConfigRefusal(
        400,
        `IdP metadata unusable: ${err instanceof SamlRefusal ? err.message : 'unreachable'}`,
      );
    }
  }
  if (!certificate) throw new ConfigRefusal(400, 'Give idpCertificate (PEM) or idpMetadataUrl.');
  try {
    checkKey(certificate);
  } catch (err) {
    throw new ConfigRefusal(400, (err as Error).message);
  }
  const config: SpConfig = {
    spEntityId: input.spEntityId ?? `${state.baseUrl()}/saml/sp/${spKey(ciid)}`,
    acsUrl: `${state.baseUrl()}/saml/acs`,
    idpCertificate: certificate,
    idpEntityId: entityId,
  };
  state.saml.set(ciid, config);
  return config;
}

export function configureLms(state: SandboxState, ciid: string, input: Record<string, unknown>): LmsConfig {
  if (!customerByCiid(state, ciid)) throw new ConfigRefusal(404, 'No such customer in the sandbox.');
  const str = (k: string, url = false) => {
    const v = input[k];
    if (typeof v !== 'string' || v === '' || (url && !/^https?:\/\//.test(v)))
      throw new ConfigRefusal(400, `${k} is required${url ? ' (an http(s) URL)' : ''}.`);
    return v;
  };
  const config = {
    authUrl: str('authUrl', true),
    lmsUrl: str('lmsUrl', true),
    clientId: str('clientId'),
    clientSecret: str('clientSecret'),
  };
  state.lms.set(ciid, config);
  return config;
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · OpenSesame sandbox</title>` +
        '<style>body{font:16px system-ui;max-width:40rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.5rem}</style>' +
        `</head><body><p><small>OpenSesame sandbox</small></p><h1>${esc(title)}</h1>${body}</body></html>`,
    );
}

function sessionOf(state: SandboxState, req: FastifyRequest): PlayerSession | undefined {
  const sid = /(?:^|;\s*)sbx_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
  const session = sid ? state.sessions.get(sid) : undefined;
  if (session && session.expiresAt <= Date.now()) {
    state.sessions.delete(sid as string);
    return undefined;
  }
  return session;
}

/** Where to go after sign-in: only somewhere on the sandbox itself (no open redirect). */
function safeRelay(state: SandboxState, relay: unknown): string {
  if (typeof relay !== 'string' || relay === '') return '/player';
  if (relay.startsWith('/') && !relay.startsWith('//')) return relay;
  try {
    const url = new URL(relay);
    if (url.origin === new URL(state.baseUrl()).origin) return `${url.pathname}${url.search}`;
  } catch {
    // not a URL: fall through
  }
  return '/player';
}

export function playerRoutes(state: SandboxState) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { key: string } }>('/saml/sp/:key', async (req, reply) => {
      for (const config of state.saml.values())
        if (config.spEntityId.endsWith(`/saml/sp/${req.params.key}`))
          return reply.type('application/samlmetadata+xml').send(spMetadata(config));
      return reply.code(404).send({ error: 'not_found' });
    });

    app.post('/saml/acs', async (req, reply) => {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const refuse = (why: string) =>
        page(reply, 403, 'Sign-in refused', `<p>The SAML assertion was refused: ${esc(why)}.</p>`);
      if (typeof form.SAMLResponse !== 'string') return refuse('no SAMLResponse in the form');
      const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
      try {
        const audiences = claimedAudiences(xml);
        const entry = [...state.saml.entries()].find(([, c]) => audiences.includes(c.spEntityId));
        if (!entry) return refuse('no customer of the sandbox has this audience');
        const [ciid, config] = entry;
        const learner = verifySamlResponse(xml, config, state.now().getTime());
        const nowMs = Date.now();
        for (const [id, until] of state.seenAssertions) if (until < nowMs) state.seenAssertions.delete(id);
        if (state.seenAssertions.has(learner.assertionId)) return refuse('this assertion was already used');
        state.seenAssertions.set(learner.assertionId, Math.max(learner.expiresAt, nowMs + 60_000));
        const sid = crypto.randomBytes(24).toString('base64url');
        state.sessions.set(sid, {
          email: learner.email,
          name: learner.name,
          customerIntegrationId: ciid,
          expiresAt: nowMs + SESSION_MS,
          opened: new Map(),
        });
        return reply
          .header(
            'set-cookie',
            `${COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MS / 1000}`,
          )
          .redirect(safeRelay(state, form.RelayState), 303);
      } catch (err) {
        if (err instanceof SamlRefusal) return refuse(err.message);
        throw err;
      }
    });

    app.get('/player', async (req, reply) => {
      const session = sessionOf(state, req);
      if (!session)
        return page(reply, 401, 'Not signed in', '<p>Start a course from your LMS to sign in.</p>');
      return page(
        reply,
        200,
        'Signed in',
        `<p>Signed in as ${esc(session.email)}. Start a course from your LMS.</p>`,
      );
    });

    app.get<{ Params: { id: string } }>('/player/:id', async (req, reply) => {
      const session = sessionOf(state, req);
      if (!session)
        return page(reply, 401, 'Not signed in', '<p>Start this course from your LMS to sign in.</p>');
      const course = state.store.get(req.params.id);
      if (!course) return page(reply, 404, 'Course not found', '<p>This course is not in the catalogue.</p>');
      if (!session.opened.has(req.params.id)) session.opened.set(req.params.id, Date.now());
      return page(
        reply,
        200,
        String(course.title ?? 'Untitled course'),
        `<p>Learner: <strong>${esc(session.email)}</strong></p>` +
          `<p>${esc(course.descriptionText ?? '')}</p>` +
          `<form method="post" action="/player/${encodeURIComponent(req.params.id)}/finish">` +
          '<label>Score <input name="score" type="number" min="0" max="100" value="90"></label> ' +
          '<label><input type="radio" name="outcome" value="passed" checked> passed</label> ' +
          '<label><input type="radio" name="outcome" value="failed"> failed</label>' +
          '<p><button type="submit">Finish</button></p></form>',
      );
    });

    app.post<{ Params: { id: string } }>('/player/:id/finish', async (req, reply) => {
      const session = sessionOf(state, req);
      if (!session)
        return page(reply, 401, 'Not signed in', '<p>Start this course from your LMS to sign in.</p>');
      const course = state.store.get(req.params.id);
      if (!course) return page(reply, 404, 'Course not found', '<p>This course is not in the catalogue.</p>');
      const lms = state.lms.get(session.customerIntegrationId);
      if (!lms)
        return page(
          reply,
          409,
          'No LMS configured',
          '<p>Set the LMS URLs and credentials for this customer first.</p>',
        );
      const form = (req.body ?? {}) as Record<string, unknown>;
      const score = Number(form.score);
      const opened = session.opened.get(req.params.id) ?? Date.now();
      const statement = buildCompletionStatement({
        email: session.email,
        name: session.name,
        objectId: activityIdOf(course),
        success: form.outcome !== 'failed',
        scaled:
          form.score !== undefined && form.score !== '' && score >= 0 && score <= 100
            ? score / 100
            : undefined,
        durationMs: Date.now() - opened,
        timestamp: state.now(),
      });
      const delivery = await deliverStatement(lms, statement);
      state.deliveries.push({ ...delivery, statement });
      if (state.deliveries.length > 1000) state.deliveries.shift();
      return delivery.ok
        ? page(
            reply,
            200,
            'Course completed',
            `<p>Your completion was sent to your LMS (${esc(delivery.message)}).</p>`,
          )
        : page(
            reply,
            502,
            'Completion not delivered',
            `<p>${esc(delivery.message)} after ${delivery.attempts} attempt(s).</p>`,
          );
    });
  };
}

/**
 * The statement's `object.id`: the course's xApiActivityId, else an IRI that ends with the course id.
 * xAPI requires an absolute IRI here, and a bare id would be refused by any conformant LRS.
 */
function activityIdOf(course: { id?: unknown; xApiActivityId?: unknown }): string {
  if (typeof course.xApiActivityId === 'string' && course.xApiActivityId) return course.xApiActivityId;
  return `https://api.delivery.opensesame.com/content/${encodeURIComponent(String(course.id))}`;
}
