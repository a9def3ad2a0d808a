// Fault knobs: the ways the real API has been seen (or may be expected) to misbehave. Counted knobs
// apply to the next N matching requests and then wear off, so a test can say "three 503s, then OK".

export type FaultTarget = 'content' | 'token' | 'all';

export type FaultKnobs = {
  /** The next N requests answer 429 with `Retry-After: retryAfter`. */
  rateLimit: number;
  /** Seconds, or an HTTP date. */
  retryAfter: string;
  /** The next N requests answer `serverErrorStatus` (a burst of 5xx). */
  serverErrors: number;
  serverErrorStatus: number;
  /** The next N requests wait `delayMs` before answering. */
  slow: number;
  delayMs: number;
  /** The next N content answers stop half-way: headers promise the whole body, the socket dies. */
  cutBody: number;
  /** Which endpoint the counted faults above hit. */
  target: FaultTarget;
  /** Lifetime of new tokens (the real one says 3600). */
  tokenTtlSeconds: number;
  /** `paging.next` always points back at page 1, as one connector version saw. */
  loopNext: boolean;
  /** `url`: next is the absolute URL of the next page; `cursor`: an opaque string (client sends page+1). */
  nextStyle: 'url' | 'cursor';
  /** How the last page says so: `next` empty, null, absent, no `paging`, or one more empty page. */
  lastPage: 'empty-string' | 'null' | 'absent' | 'no-paging' | 'empty-page';
};

export const DEFAULT_FAULTS: Readonly<FaultKnobs> = Object.freeze({
  rateLimit: 0,
  retryAfter: '1',
  serverErrors: 0,
  serverErrorStatus: 503,
  slow: 0,
  delayMs: 0,
  cutBody: 0,
  target: 'content',
  tokenTtlSeconds: 3600,
  loopNext: false,
  nextStyle: 'url',
  lastPage: 'empty-string',
});

const CHOICES: Record<string, readonly string[]> = {
  target: ['content', 'token', 'all'],
  nextStyle: ['url', 'cursor'],
  lastPage: ['empty-string', 'null', 'absent', 'no-paging', 'empty-page'],
};

export type FaultDecision =
  { kind: 'none' } | { kind: 'rate_limit'; retryAfter: string } | { kind: 'server_error'; status: number };

export type FaultBox = {
  get(): Readonly<FaultKnobs>;
  /** Merges the given knobs; unknown keys or wrong types throw (the admin route answers 400). */
  set(patch: Partial<FaultKnobs>): Readonly<FaultKnobs>;
  reset(): void;
  /** Consumes one unit of the counted status faults for a request to `endpoint`. */
  decide(endpoint: 'content' | 'token'): FaultDecision;
  /** Consumes one unit of `slow`; the delay to wait, or 0. */
  takeDelay(endpoint: 'content' | 'token'): number;
  takeCut(): boolean;
};

export function createFaultBox(): FaultBox {
  let knobs: FaultKnobs = { ...DEFAULT_FAULTS };
  const hits = (endpoint: 'content' | 'token') => knobs.target === 'all' || knobs.target === endpoint;
  return {
    get: () => knobs,
    set(patch) {
      const next: Record<string, unknown> = { ...knobs };
      for (const [key, value] of Object.entries(patch)) {
        if (!(key in DEFAULT_FAULTS)) throw new Error(`unknown fault knob: ${key}`);
        const expected = typeof DEFAULT_FAULTS[key as keyof FaultKnobs];
        if (typeof value !== expected) throw new Error(`fault knob ${key} must be a ${expected}`);
        const allowed = CHOICES[key];
        if (allowed && !allowed.includes(value as string))
          throw new Error(`fault knob ${key} must be one of ${allowed.join(', ')}`);
        next[key] = value;
      }
      knobs = next as FaultKnobs;
      return knobs;
    },
    reset() {
      knobs = { ...DEFAULT_FAULTS };
    },
    decide(endpoint) {
      if (!hits(endpoint)) return { kind: 'none' };
      if (knobs.rateLimit > 0) {
        knobs.rateLimit--;
        return { kind: 'rate_limit', retryAfter: knobs.retryAfter };
      }
      if (knobs.serverErrors > 0) {
        knobs.serverErrors--;
        return { kind: 'server_error', status: knobs.serverErrorStatus };
      }
      return { kind: 'none' };
    },
    takeDelay(endpoint) {
      if (!hits(endpoint) || knobs.slow <= 0) return 0;
      knobs.slow--;
      return knobs.delayMs;
    },
    takeCut() {
      if (knobs.cutBody <= 0) return false;
      knobs.cutBody--;
      return true;
    },
  };
}
