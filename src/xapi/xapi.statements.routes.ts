// The xAPI statements resource at /api/opensesame/stats (what the seed calls the LMS URL) and at
// /api/opensesame/stats/statements (where xAPI clients append `statements`), plus /about.
// Every answer carries X-Experience-API-Version; errors use the app's `{error:{code,message}}` body.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden, Invalid } from '../errors.js';
import { isAlternateRequest, parseAlternateRequest } from './xapi.alternate.js';
import { authenticate, type XapiCaller } from './xapi.auth.js';
import { canRead, canWrite } from './xapi.credentials.js';
import { boundaryOf, buildMultipart, parseMultipart, type Part } from './xapi.multipart.js';
import { parseStatementQuery } from './xapi.query.js';
import {
  getOneStatement,
  listStatements,
  storeStatements,
  type ReadOptions,
  type ReadResult,
} from './xapi.service.js';
import type { XapiVersion } from './xapi.validate.js';

declare module 'fastify' {
  interface FastifyRequest {
    xapiVersion?: XapiVersion | undefined;
    xapiCaller?: XapiCaller;
  }
}

const BASES = ['/api/opensesame/stats', '/api/opensesame/stats/statements'];

function versionOf(header: unknown): XapiVersion | undefined {
  if (typeof header !== 'string') return undefined;
  if (/^1\.0(\.\d+)?$/.test(header.trim())) return '1.0';
  if (/^2\.0(\.\d+)?$/.test(header.trim())) return '2.0';
  return undefined;
}

/** One call of the resource, made with the usual syntax or with the alternate one (1.0.3). */
type Call = {
  authorization: string | undefined;
  version: XapiVersion;
  query: Record<string, string>;
  payload: () => { body: unknown; parts: Part[] };
};

function queryOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const at = request.url.indexOf('?');
  if (at < 0) return out;
  for (const [k, v] of new URLSearchParams(request.url.slice(at + 1))) {
    if (k in out) throw Invalid('invalid_query', `Parameter ${k} is given twice.`);
    out[k] = v;
  }
  return out;
}

async function requireCaller(
  request: FastifyRequest,
  reply: FastifyReply,
  call: Call,
  need: 'read' | 'write',
): Promise<XapiCaller | undefined> {
  const result = await authenticate(request.server.ctx, call.authorization, () => request.ip);
  if ('ok' in result) {
    if (result.retryAfter) reply.header('Retry-After', String(result.retryAfter));
    if (result.status === 401)
      reply.header('WWW-Authenticate', 'Bearer realm="sesame-bridge", Basic realm="sesame-bridge"');
    await reply.status(result.status).send({ error: { code: result.code, message: result.message } });
    return undefined;
  }
  if (need === 'write' ? !canWrite(result.scopes) : !canRead(result.scopes))
    throw Forbidden(
      'insufficient_scope',
      `This token's scope does not allow ${need === 'write' ? 'writing' : 'reading'} statements.`,
    );
  return result;
}

function bodyAndParts(request: FastifyRequest): { body: unknown; parts: Part[] } {
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/mixed/i.test(type)) {
    if (request.body === undefined || request.body === null)
      throw Invalid('invalid_statement', 'The request has no statement.');
    return { body: request.body, parts: [] };
  }
  const boundary = boundaryOf(type);
  const parts =
    boundary && Buffer.isBuffer(request.body) ? parseMultipart(request.body, boundary) : undefined;
  const first = parts?.[0];
  if (!parts || !first) throw Invalid('invalid_multipart', 'The multipart/mixed body is malformed.');
  if (!/^application\/json/i.test(first.headers['content-type'] ?? ''))
    throw Invalid('invalid_multipart', 'The first part must be application/json.');
  try {
    return { body: JSON.parse(first.body.toString('utf8')), parts: parts.slice(1) };
  } catch {
    throw Invalid('invalid_multipart', 'The first part is not valid JSON.');
  }
}

function sendRead(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  result: ReadResult,
  attachments: boolean,
) {
  const now = request.server.ctx.clock.now();
  reply.header('X-Experience-API-Consistent-Through', now.toISOString());
  reply.header('Last-Modified', new Date(result.lastStored ?? now.toISOString()).toUTCString());
  if (!attachments) return reply.send(payload);
  const { contentType, body } = buildMultipart(payload, result.attachments);
  return reply.type(contentType).send(body);
}

async function postStatements(request: FastifyRequest, reply: FastifyReply, call: Call) {
  const caller = await requireCaller(request, reply, call, 'write');
  if (!caller) return reply;
  const unknown = Object.keys(call.query)[0];
  if (unknown !== undefined) throw Invalid('invalid_query', `Unknown parameter ${unknown}.`);
  const { body, parts } = call.payload();
  return storeStatements(request.server.ctx, caller, body, parts, call.version);
}

async function putStatement(request: FastifyRequest, reply: FastifyReply, call: Call) {
  const caller = await requireCaller(request, reply, call, 'write');
  if (!caller) return reply;
  const unknown = Object.keys(call.query).find((k) => k !== 'statementId');
  if (unknown) throw Invalid('invalid_query', `Unknown parameter ${unknown}.`);
  if (!call.query.statementId) throw Invalid('missing_statement_id', 'PUT needs ?statementId=.');
  const { body, parts } = call.payload();
  await storeStatements(request.server.ctx, caller, body, parts, call.version, call.query.statementId);
  return reply.status(204).send();
}

async function getStatements(request: FastifyRequest, reply: FastifyReply, call: Call) {
  const caller = await requireCaller(request, reply, call, 'read');
  if (!caller) return reply;
  const parsed = parseStatementQuery(call.query);
  if ('problem' in parsed) throw Invalid('invalid_query', parsed.problem);
  const languages = String(request.headers['accept-language'] ?? '')
    .split(',')
    .map((l) => l.split(';')[0]?.trim() ?? '')
    .filter(Boolean);
  const options: ReadOptions = { format: parsed.format, attachments: parsed.attachments, languages };
  const ctx = request.server.ctx;
  if (parsed.kind === 'one') {
    const result = await getOneStatement(ctx, caller, parsed.id, parsed.voided, options);
    return sendRead(request, reply, result.statements[0], result, parsed.attachments);
  }
  const result = await listStatements(ctx, caller, parsed.query, options);
  let more = '';
  if (result.next) {
    // A plain GET URL, whatever syntax asked for the first page.
    const params = new URLSearchParams(call.query);
    params.set('cursor', `${result.next.after}.${result.next.ceiling}`);
    more = `/api/opensesame/stats/statements?${params.toString()}`;
  }
  return sendRead(request, reply, { statements: result.statements, more }, result, parsed.attachments);
}

const usualCall = (request: FastifyRequest): Call => ({
  authorization: request.headers.authorization,
  version: request.xapiVersion ?? '1.0',
  query: queryOf(request),
  payload: () => bodyAndParts(request),
});

/** A POST with ?method= (Communication 1.3, xAPI 1.0.3 only): the form says what to do. */
async function alternateCall(request: FastifyRequest, reply: FastifyReply) {
  // Browsers' cross-domain requests may send the form as text/plain (LRSs accept that too).
  const form = typeof request.body === 'string' ? formOf(request.body) : request.body;
  const alt = parseAlternateRequest(queryOf(request), form);
  if ('problem' in alt) throw Invalid(alt.code, alt.problem);
  const header = alt.version ?? request.headers['x-experience-api-version'];
  if (header === undefined) throw Invalid('missing_version_header', 'X-Experience-API-Version is required.');
  const version = versionOf(header);
  if (!version)
    throw Invalid('unsupported_version', `X-Experience-API-Version ${String(header)} is not supported.`);
  if (version === '2.0')
    throw Invalid('alternate_syntax_unsupported', 'xAPI 2.0 has no alternate request syntax (?method=).');
  request.xapiVersion = version;
  reply.header('X-Experience-API-Version', '1.0.3');
  const call: Call = {
    authorization: alt.authorization ?? request.headers.authorization,
    version,
    query: alt.query,
    payload: () => {
      // The content is a UTF-8 string (1.3.s3.b5): JSON; attachments cannot travel this way.
      if (alt.contentType !== undefined && !/^application\/json\b/i.test(alt.contentType))
        throw Invalid('unsupported_content_type', 'With ?method=, the content form parameter is JSON.');
      if (alt.content === undefined) throw Invalid('invalid_statement', 'The request has no statement.');
      try {
        return { body: JSON.parse(alt.content) as unknown, parts: [] };
      } catch {
        throw Invalid('invalid_json', 'The content form parameter is not valid JSON.');
      }
    },
  };
  if (alt.method === 'POST') return postStatements(request, reply, call);
  if (alt.method === 'PUT') return putStatement(request, reply, call);
  return getStatements(request, reply, call);
}

function formOf(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return out;
}

export const xapiStatementsRoutes: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(/^multipart\/mixed/i, { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );

  // Every answer, errors included, names the version; requests must name theirs (Communication 3.3).
  // The answer's header is set here, before anything can fail (error replies keep it): one
  // callback hook per request instead of an async onRequest and an async onSend hook. With the
  // alternate syntax the version may be in the form: the route checks it.
  app.addHook('onRequest', (request, reply, done) => {
    const header = request.headers['x-experience-api-version'];
    request.xapiVersion = versionOf(header);
    reply.header('X-Experience-API-Version', request.xapiVersion === '2.0' ? '2.0.0' : '1.0.3');
    if (request.url.startsWith('/api/opensesame/stats/about')) return done();
    if (isAlternateRequest(request.method, request.url)) return done();
    if (header === undefined)
      return done(Invalid('missing_version_header', 'X-Experience-API-Version is required.'));
    if (!request.xapiVersion)
      return done(
        Invalid(
          'unsupported_version',
          `X-Experience-API-Version ${String(header)} is not supported (1.0.x, 2.0.x).`,
        ),
      );
    done();
  });

  app.get('/api/opensesame/stats/about', async () => ({ version: ['1.0.3', '2.0.0'], extensions: {} }));

  for (const base of BASES) {
    app.post(base, async (request, reply) =>
      isAlternateRequest(request.method, request.url)
        ? alternateCall(request, reply)
        : postStatements(request, reply, usualCall(request)),
    );
    app.put(base, async (request, reply) => putStatement(request, reply, usualCall(request)));
    app.get(base, async (request, reply) => getStatements(request, reply, usualCall(request)));
  }
};
