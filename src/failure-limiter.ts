// Failed authentications are limited per key (a client id, an e-mail, an address; fixed windows, in memory):
// enough to make guessing a secret slow; a multi-instance deployment multiplies the allowance by
// the number of instances, which is acceptable for this purpose.
export type FailureLimiter = {
  /** Seconds to wait when any key is blocked, else 0. */
  blockedFor(keys: string[], nowMs: number): number;
  fail(keys: string[], nowMs: number): void;
};

export function createFailureLimiter(maxFailures = 10, windowMs = 60_000): FailureLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    blockedFor(keys, nowMs) {
      let wait = 0;
      for (const k of keys) {
        const w = windows.get(k);
        if (w && nowMs - w.start < windowMs && w.count >= maxFailures)
          wait = Math.max(wait, Math.ceil((w.start + windowMs - nowMs) / 1000));
      }
      return wait;
    },
    fail(keys, nowMs) {
      if (windows.size > 50_000) windows.clear();
      for (const k of keys) {
        const w = windows.get(k);
        if (!w || nowMs - w.start >= windowMs) windows.set(k, { start: nowMs, count: 1 });
        else w.count++;
      }
    },
  };
}
