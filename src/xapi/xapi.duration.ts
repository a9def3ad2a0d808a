// ISO 8601 durations as xAPI uses them (Data 4.6): `PnYnMnDTnHnMnS` or `PnW` alone. Extra precision
// on seconds is accepted (the spec says not to reject it); the statement keeps the text as sent and
// statistics get milliseconds. Years and months have no fixed length: we count 365 and 30 days.

const DURATION =
  /^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?!$)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const WEEKS = /^P(\d+(?:\.\d+)?)W$/;

const MS = { year: 365 * 86_400_000, month: 30 * 86_400_000, week: 7 * 86_400_000, day: 86_400_000 };

export function isIsoDuration(text: string): boolean {
  return DURATION.test(text) || WEEKS.test(text);
}

/** Milliseconds in a duration, or undefined when the text is not an ISO 8601 duration. */
export function durationToMs(text: string): number | undefined {
  const w = WEEKS.exec(text);
  if (w) return Math.round(Number(w[1]) * MS.week);
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  return Math.round(
    n(1) * MS.year + n(2) * MS.month + n(3) * MS.day + n(4) * 3_600_000 + n(5) * 60_000 + n(6) * 1000,
  );
}
