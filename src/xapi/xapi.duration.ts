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
  return Math.round(
    part(m, 1) * MS.year +
      part(m, 2) * MS.month +
      part(m, 3) * MS.day +
      part(m, 4) * 3_600_000 +
      part(m, 5) * 60_000 +
      part(m, 6) * 1000,
  );
}

// A module function rather than a closure per call: tsx names every closure it creates.
const part = (m: RegExpExecArray, i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
