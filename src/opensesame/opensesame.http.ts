// HTTP plumbing for the OpenSesame client: one request with a timeout, and the retry policy
// (which statuses, how long to wait). Kept apart from the protocol so both read on their own.
import { request, type Dispatcher } from 'undici';

export type RetryPolicy = {
  /** Total tries per request, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is cut down to it. */
  readonly maxRetryAfterMs: number;
  readonly timeoutMs: number;
};

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

export const isRetryableStatus = (status: number) => RETRYABLE_STATUSES.has(status) || status >= 500;

/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^(try-1))]. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds (delta-seconds or HTTP date), capped; undefined when absent or bad. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number, capMs: number) {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  let ms: number;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) ms = Number(v) * 1000;
  else {
    const date = Date.parse(v);
    if (Number.isNaN(date)) return undefined;
    ms = date - nowMs;
  }
  return Math.min(Math.max(0, ms), capMs);
}

export type HttpAnswer = {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
};

/** What went wrong below HTTP: the answer never came, or came cut. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'aborted',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export type SendOptions = {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly dispatcher: Dispatcher;
};

/** One HTTP exchange, body read whole. The timeout covers the whole exchange, body included. */
export async function send(url: string, options: SendOptions): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const res = await request(url, {
      method: options.method,
      headers: options.headers,
      body: options.body ?? null,
      signal,
      dispatcher: options.dispatcher,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  } catch (err) {
    if (options.signal?.aborted) throw new TransportError('aborted', 'the request was cancelled');
    if (timeout.aborted)
      throw new TransportError('timeout', `no complete answer within ${options.timeoutMs} ms`);
    // undici's messages ("other side closed", "ECONNREFUSED") carry no secret; the URL is not included.
    const code = (err as { code?: string }).code;
    const reason = code ? `${code}` : (err as Error).message || 'connection failed';
    throw new TransportError('network', reason);
  }
}

/** Sleeps, waking early (with a rejection) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TransportError('aborted', 'the request was cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
