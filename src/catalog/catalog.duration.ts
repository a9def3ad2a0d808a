// OpenSesame durations are "HH:MM:SS" (average time to complete). The platform wants whole minutes
// (1–100000): round up so that a 30-second course does not show as 0 minutes.

export type DurationResult = { ok: true; minutes: number | null } | { ok: false };

const MAX_MINUTES = 100_000;

/** "01:30:20" → 91. Zero means "unknown" (null); anything malformed is `{ ok: false }`. */
export function parseDuration(value: unknown): DurationResult {
  if (value === undefined || value === null || value === '') return { ok: true, minutes: null };
  if (typeof value !== 'string') return { ok: false };
  // Hours may exceed two digits; minutes and seconds may not exceed 59. "MM:SS" is tolerated.
  const m = /^(?:(\d{1,4}):)?([0-5]?\d):([0-5]\d)$/.exec(value.trim());
  if (!m) return { ok: false };
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  if (seconds === 0) return { ok: true, minutes: null };
  return { ok: true, minutes: Math.min(MAX_MINUTES, Math.max(1, Math.ceil(seconds / 60))) };
}
