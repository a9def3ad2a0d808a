// The OpenSesame content API client (specs/opensesame-api.md): client-credentials token with a
// cache, the paged catalogue listing, retries with backoff, and `verify` for activation checks.
// Nothing secret (client secret, token, Customer Integration ID) reaches an error or a log line.
import { Agent, type Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import {
  OpenSesameError,
  type CataloguePage,
  type OpenSesameClient,
  type OpenSesameConnection,
  type OpenSesameStep,
  type VerifyResult,
} from './opensesame.types.js';
import {
  backoffMs,
  isRetryableStatus,
  parseRetryAfter,
  send,
  sleep,
  TransportError,
  type HttpAnswer,
  type RetryPolicy,
} from './opensesame.http.js';

export type OpenSesameClientOptions = {
  log: Logger;
  /** Items per page; the API refuses more than 50. */
  pageSize?: number;
  /** Hard stop on the number of pages, against a `next` that never ends. */
  maxPages?: number;
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxRetryAfterMs?: number;
  timeoutMs?: number;
  /** A token is renewed this long before it expires (at most a tenth of its lifetime). */
  tokenMarginMs?: number;
  /** Fetch the next page while the caller works on the current one. */
  prefetch?: boolean;
  /** For tests: the jitter source. */
  random?: () => number;
  /** Shared connection pool; by default each client has its own keep-alive agent. */
  dispatcher?: Dispatcher;
};

/** The contract plus `close`, which frees the keep-alive sockets (idle ones never hold the process). */
export type ClosableOpenSesameClient = OpenSesameClient & { close(): Promise<void> };

const MAX_PAGE_SIZE = 50;

export function createOpenSesameClient(
  connection: OpenSesameConnection,
  options: OpenSesameClientOptions,
): ClosableOpenSesameClient {
  const log = options.log.child({ area: 'opensesame' });
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
  const maxPages = options.maxPages ?? 10_000;
  const policy: RetryPolicy = {
    attempts: Math.max(1, options.attempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 20_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  const random = options.random ?? Math.random;
  const prefetch = options.prefetch ?? true;
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connections: 4 });
  const dispatcher = options.dispatcher ?? (ownAgent as Agent);
  const apiBase = connection.apiUrl.replace(/\/+$/, '');
  const apiOrigin = new URL(apiBase).origin;
  const ciid = connection.customerIntegrationId;

  const redact = (url: string) => {
    let out = url.replace(/(customerIntegrationId=)[^&#]*/gi, '$1[redacted]');
    if (ciid) out = out.split(encodeURIComponent(ciid)).join('[redacted]').split(ciid).join('[redacted]');
    return out;
  };
  const pageUrl = (page: number, limit: number) =>
    `${apiBase}/v1/content?customerIntegrationId=${encodeURIComponent(ciid)}&limit=${limit}&page=${page}`;

  /** One request with retries on transient failures; answers non-retryable statuses as they are. */
  async function exchange(
    step: OpenSesameStep,
    url: string,
    build: () => { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    signal: AbortSignal | undefined,
  ): Promise<HttpAnswer> {
    let last: { code: 'timeout' | 'network' | 'retries_exhausted'; reason: string; status?: number } = {
      code: 'network',
      reason: 'no attempt made',
    };
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      let wait: number | undefined;
      try {
        // Headers are built again for every try: nothing from one request leaks into another.
        const req = build();
        const answer = await send(url, { ...req, timeoutMs: policy.timeoutMs, signal, dispatcher });
        if (!isRetryableStatus(answer.status)) return answer;
        last = { code: 'retries_exhausted', reason: `HTTP ${answer.status}`, status: answer.status };
        wait = parseRetryAfter(answer.headers['retry-after'], Date.now(), policy.maxRetryAfterMs);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        if (err.kind === 'aborted') throw signal?.reason ?? err;
        last = { code: err.kind, reason: err.message };
      }
      if (attempt === policy.attempts) break;
      const delayMs = wait ?? backoffMs(policy, attempt, random);
      log.warn(
        { step, url: redact(url), attempt, of: policy.attempts, reason: last.reason, delayMs },
        'OpenSesame request failed, retrying',
      );
      await sleep(delayMs, signal).catch((e: unknown) => {
        throw signal?.reason ?? e;
      });
    }
    const what = step === 'token' ? 'token request' : 'catalogue listing';
    throw new OpenSesameError(
      step,
      last.code,
      `${what} failed after ${policy.attempts} attempt(s): ${last.reason}`,
      last.status,
    );
  }

  // ---- token --------------------------------------------------------------------------------
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function fetchToken(signal: AbortSignal | undefined): Promise<string> {
    const basic = Buffer.from(`${connection.clientId}:${connection.clientSecret}`).toString('base64');
    const answer = await exchange(
      'token',
      connection.tokenUrl,
      () => ({
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${basic}`,
        },
        body: 'grant_type=client_credentials&scope=content',
      }),
      signal,
    );
    const json = parseJson(answer.text);
    const oauthError = oauthErrorCode(json);
    if (answer.status === 401 || oauthError === 'invalid_client')
      throw new OpenSesameError(
        'token',
        'invalid_credentials',
        `token request refused (HTTP ${answer.status}${oauthError ? ` ${oauthError}` : ''}): check the client id and client secret`,
        answer.status,
      );
    if (answer.status < 200 || answer.status >= 300)
      throw new OpenSesameError(
        'token',
        'http_error',
        `token request refused (HTTP ${answer.status}${oauthError ? ` ${oauthError}` : ''})`,
        answer.status,
      );
    const body = (json ?? {}) as Record<string, unknown>;
    if (typeof body.access_token !== 'string' || body.access_token === '')
      throw new OpenSesameError(
        'token',
        'bad_response',
        `token answer (HTTP ${answer.status}) has no access_token`,
      );
    const expiresIn = Number(body.expires_in);
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
    const margin = Math.min(options.tokenMarginMs ?? 60_000, lifetimeMs / 10);
    cached = { token: body.access_token, renewAt: Date.now() + lifetimeMs - margin };
    log.debug({ expiresInSeconds: lifetimeMs / 1000 }, 'OpenSesame token obtained');
    return body.access_token;
  }

  function token(signal: AbortSignal | undefined): Promise<string> {
    if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
    inflight ??= fetchToken(signal).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  // ---- listing ------------------------------------------------------------------------------
  type ListBody = { data: unknown[]; paging?: unknown };

  async function fetchPage(url: string, signal: AbortSignal | undefined): Promise<ListBody> {
    let refreshed = false;
    for (;;) {
      const bearer = await token(signal);
      const answer = await exchange(
        'list',
        url,
        () => ({ method: 'GET', headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } }),
        signal,
      );
      if (answer.status === 401 && !refreshed) {
        // The token died early (rotated, revoked): renew it once, then believe the 401.
        if (cached?.token === bearer) cached = undefined;
        refreshed = true;
        log.info('OpenSesame token refused, renewing it once');
        continue;
      }
      if (answer.status === 401)
        throw new OpenSesameError(
          'list',
          'invalid_credentials',
          'catalogue listing refused (HTTP 401) even with a new token',
          401,
        );
      if (answer.status === 400 || answer.status === 403 || answer.status === 404)
        throw new OpenSesameError(
          'list',
          'invalid_customer_integration_id',
          `catalogue listing refused (HTTP ${answer.status}): check the Customer Integration ID`,
          answer.status,
        );
      if (answer.status < 200 || answer.status >= 300)
        throw new OpenSesameError(
          'list',
          'http_error',
          `catalogue listing failed (HTTP ${answer.status})`,
          answer.status,
        );
      const json = parseJson(answer.text);
      if (json === undefined)
        throw new OpenSesameError(
          'list',
          'bad_response',
          `catalogue page is not JSON (HTTP ${answer.status})`,
        );
      const data = (json as { data?: unknown }).data;
      if (!Array.isArray(data))
        throw new OpenSesameError('list', 'bad_response', 'catalogue page has no `data` array');
      return { data, paging: (json as { paging?: unknown }).paging };
    }
  }

  /** The next URL to read, or undefined on the last page. */
  function nextUrl(body: ListBody, page: number): string | undefined {
    if (body.data.length === 0) return undefined;
    if (typeof body.paging !== 'object' || body.paging === null) return undefined;
    const next = (body.paging as { next?: unknown }).next;
    if (!next) return undefined;
    if (typeof next === 'string' && /^https?:\/\//i.test(next)) {
      // Our Bearer token goes wherever `next` points: only ever to the API's own origin.
      if (new URL(next).origin !== apiOrigin)
        throw new OpenSesameError('list', 'bad_response', 'paging.next points outside the API host');
      return next;
    }
    return pageUrl(page + 1, pageSize);
  }

  async function* listCatalogue(opts: { signal?: AbortSignal } = {}): AsyncGenerator<CataloguePage> {
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const started = Date.now();
    let url = pageUrl(1, pageSize);
    const seen = new Set([url]);
    let current = fetchPage(url, signal);
    let total = 0;
    try {
      for (let page = 1; ; page++) {
        const body = await current;
        log.debug({ url: redact(url), page, items: body.data.length }, 'OpenSesame page read');
        const next = nextUrl(body, page);
        let failure: OpenSesameError | undefined;
        if (next !== undefined) {
          if (seen.has(next))
            failure = new OpenSesameError(
              'list',
              'paging_loop',
              `paging.next repeats an earlier page after page ${page}`,
            );
          else if (page >= maxPages)
            failure = new OpenSesameError(
              'list',
              'paging_loop',
              `stopped at the page cap (${maxPages} pages)`,
            );
          else {
            seen.add(next);
            url = next;
            if (prefetch) {
              current = fetchPage(url, signal);
              // Awaited on the next turn; this keeps an early failure from being "unhandled" meanwhile.
              current.catch(() => undefined);
            }
          }
        }
        total += body.data.length;
        if (body.data.length > 0) yield { page, items: body.data };
        if (failure) throw failure;
        if (next === undefined) break;
        if (!prefetch) current = fetchPage(url, signal);
      }
      log.info({ pages: seen.size, items: total, ms: Date.now() - started }, 'OpenSesame catalogue listed');
    } finally {
      stop.abort();
    }
  }

  async function verify(): Promise<VerifyResult> {
    cached = undefined;
    try {
      await token(undefined);
    } catch (err) {
      if (!(err instanceof OpenSesameError)) throw err;
      const field =
        err.code === 'invalid_credentials' || err.code === 'http_error' ? 'credentials' : 'connection';
      return { ok: false, field, code: err.code, message: err.message };
    }
    try {
      await fetchPage(pageUrl(1, 1), undefined);
      return { ok: true };
    } catch (err) {
      if (!(err instanceof OpenSesameError)) throw err;
      const field =
        err.code === 'invalid_customer_integration_id'
          ? 'customerIntegrationId'
          : err.code === 'invalid_credentials'
            ? 'credentials'
            : 'connection';
      return { ok: false, field, code: err.code, message: err.message };
    }
  }

  return {
    listCatalogue,
    verify,
    async close() {
      await ownAgent?.close();
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The OAuth `error` code when it looks like one (never echo free text from the server). */
function oauthErrorCode(json: unknown): string | undefined {
  const e = (json as { error?: unknown } | undefined)?.error;
  return typeof e === 'string' && /^[a-z_]{1,40}$/.test(e) ? e : undefined;
}
