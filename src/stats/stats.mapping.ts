// The seed's statistics table, as a pure function from a stored statement to a learning statistic
// (DESIGN rule 3). Which course and learner it names is resolved later against the database.
import { durationToMs } from '../xapi/xapi.duration.js';
import { isPlainObject } from '../xapi/xapi.formats.js';
import type { Json } from '../xapi/xapi.validate.js';

export type Statistic = {
  /** object.id → externalCourseId (matched against a course's external id or xAPI activity id). */
  objectId: string;
  /** actor.mbox → learnerMail, lower-cased, without `mailto:`. */
  learnerMail: string;
  /** result.completion → progress: true → 100; absent or false → no change. */
  progress?: 100;
  /** result.success → result. */
  result?: 'success' | 'failed';
  /** result.score.scaled → score, 0–100 (negative scaled scores count as 0). */
  score?: number;
  /** result.duration → timeSpentInMilliseconds. */
  timeSpentMs?: number;
  /** timestamp → completedAt (when the statement completes the course). */
  completedAt?: string;
  /** When the learner was active: the statement's timestamp. */
  at: string;
};

export type MappingOutcome =
  { ok: true; statistic: Statistic } | { ok: false; reason: 'no_learner_mail' | 'not_a_course' };

export function statementToStatistic(s: Json): MappingOutcome {
  const object = isPlainObject(s.object) ? s.object : {};
  if (!(object.objectType === undefined || object.objectType === 'Activity') || typeof object.id !== 'string')
    return { ok: false, reason: 'not_a_course' };
  const actor = isPlainObject(s.actor) ? s.actor : {};
  if (typeof actor.mbox !== 'string') return { ok: false, reason: 'no_learner_mail' };
  const at = new Date(String(s.timestamp ?? s.stored)).toISOString();
  const statistic: Statistic = {
    objectId: object.id,
    learnerMail: actor.mbox
      .replace(/^mailto:/i, '')
      .trim()
      .toLowerCase(),
    at,
  };
  const result = isPlainObject(s.result) ? s.result : {};
  if (result.completion === true) {
    statistic.progress = 100;
    statistic.completedAt = at;
  }
  if (typeof result.success === 'boolean') statistic.result = result.success ? 'success' : 'failed';
  const score = isPlainObject(result.score) ? result.score : {};
  if (typeof score.scaled === 'number')
    statistic.score = Math.round(Math.min(1, Math.max(0, score.scaled)) * 10_000) / 100;
  if (typeof result.duration === 'string') {
    const ms = durationToMs(result.duration);
    if (ms !== undefined) statistic.timeSpentMs = ms;
  }
  return { ok: true, statistic };
}

/**
 * The course ids an activity IRI may name, best first: the IRI itself (a course's external id or
 * xAPI activity id), then an id embedded in a URL — a `courseId`/`id`/`contentId` query parameter
 * or the last path segment (quickLaunch-style URLs such as `https://…/launch/<id>`), or the last
 * part of a URN. A bare id is not an IRI, so xAPI senders always wrap it in one of these.
 */
export function courseKeyCandidates(objectId: string): string[] {
  const out = [objectId];
  let url: URL;
  try {
    url = new URL(objectId);
  } catch {
    return out;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    // A URN such as `urn:opensesame:course:<id>`: the last colon-separated part.
    const last = objectId.split(':').pop();
    if (last) out.push(last);
    return [...new Set(out)];
  }
  for (const name of ['courseId', 'course_id', 'contentId', 'id']) {
    const v = url.searchParams.get(name);
    if (v) out.push(v);
  }
  const last = url.pathname.split('/').filter(Boolean).pop();
  if (last) out.push(decodeURIComponent(last));
  return [...new Set(out)];
}
