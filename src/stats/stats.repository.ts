// Queries for turning stored statements into statistics. The caller owns the transaction.
import type { Db, Engine } from '../db/db.js';
import type { UnmatchedReason } from '../xapi/xapi.tables.js';

export type PendingStatement = {
  seq: number;
  id: string;
  integration_id: string;
  stored: string;
};

/**
 * Takes the oldest pending statements out of the queue, in the caller's transaction (a rollback
 * puts them back); on PostgreSQL the rows taken are locked, so two instances never apply one twice.
 * Returns their seqs in order. The queue alone, not joined to the statements: PostgreSQL planned
 * that join as a merge join that read the statements table from its start up to the first pending
 * seq, on every chunk (its cost grew with the table: 27 µs per statement at 40,000 statements).
 */
export async function takePending(db: Db, engine: Engine, limit: number): Promise<number[]> {
  const rows = await db
    .deleteFrom('xapi_stats_pending')
    .where('seq', 'in', (eb) =>
      eb
        .selectFrom('xapi_stats_pending')
        .select('seq')
        .orderBy('seq')
        .limit(limit)
        .$if(engine === 'postgres', (q) => q.forUpdate().skipLocked()),
    )
    .returning('seq')
    .execute();
  return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
}

/** What the drain needs of stored statements it does not hold in memory, by seq. */
export async function pendingStatements(
  db: Db,
  seqs: number[],
): Promise<Map<number, PendingStatement & { statement: string }>> {
  if (seqs.length === 0) return new Map();
  const rows = await db
    .selectFrom('xapi_statements')
    .select(['seq', 'id', 'integration_id', 'stored', 'statement'])
    .where('seq', 'in', seqs)
    .execute();
  return new Map(rows.map((r) => [Number(r.seq), { ...r, seq: Number(r.seq) }]));
}

/** Puts statements back in the queue (an unmatched statement the new learner or course may resolve). */
export async function requeue(db: Db, seqs: number[]): Promise<void> {
  if (seqs.length)
    await db
      .insertInto('xapi_stats_pending')
      .values(seqs.map((seq) => ({ seq })))
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
}

/** The integration's course an activity names: exact id first, then ids embedded in the IRI. */
export async function findCourseForActivity(
  db: Db,
  integrationId: string,
  objectId: string,
  candidates: string[],
) {
  const rows = await db
    .selectFrom('courses')
    .select(['id', 'external_id', 'xapi_activity_id'])
    .where('integration_id', '=', integrationId)
    .where((eb) => eb.or([eb('xapi_activity_id', '=', objectId), eb('external_id', 'in', candidates)]))
    .execute();
  const rank = (r: (typeof rows)[number]) =>
    r.xapi_activity_id === objectId ? -1 : candidates.indexOf(r.external_id ?? '');
  return rows.sort((a, b) => rank(a) - rank(b))[0];
}

export async function findUserIdByMail(db: Db, mail: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email_normalized', '=', mail)
    .executeTakeFirst();
  return row?.id;
}

export async function putUnmatched(
  db: Db,
  row: {
    statement_seq: number;
    integration_id: string;
    statement_id: string;
    reason: UnmatchedReason;
    learner_mail: string | null;
    course_key: string | null;
    received_at: string;
  },
): Promise<void> {
  await db
    .insertInto('stats_unmatched')
    .values(row)
    .onConflict((oc) => oc.column('statement_seq').doUpdateSet({ reason: row.reason }))
    .execute();
}

export async function deleteUnmatched(db: Db, seqs: number[]): Promise<void> {
  if (seqs.length) await db.deleteFrom('stats_unmatched').where('statement_seq', 'in', seqs).execute();
}

export async function listUnmatched(db: Db, integrationId: string, limit: number, offset: number) {
  return db
    .selectFrom('stats_unmatched as u')
    .innerJoin('xapi_statements as s', 's.seq', 'u.statement_seq')
    .select([
      'u.statement_id',
      'u.reason',
      'u.learner_mail',
      'u.course_key',
      'u.received_at',
      's.verb_id',
      's.timestamp',
    ])
    .where('u.integration_id', '=', integrationId)
    .orderBy('u.statement_seq', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Unmatched rows that a new learner or course may now resolve (all of them when no filter). */
export async function unmatchedCandidates(
  db: Db,
  filter: { mail?: string; integrationId?: string; reason?: UnmatchedReason },
) {
  let q = db.selectFrom('stats_unmatched').select(['statement_seq', 'course_key', 'integration_id']);
  if (filter.mail !== undefined) q = q.where('learner_mail', '=', filter.mail);
  if (filter.integrationId !== undefined) q = q.where('integration_id', '=', filter.integrationId);
  if (filter.reason !== undefined) q = q.where('reason', '=', filter.reason);
  return (await q.execute()).map((r) => ({ ...r, statement_seq: Number(r.statement_seq) }));
}

/**
 * Unmatched statements that the data as it is now can resolve (the periodic re-check): an unknown
 * learner whose e-mail now belongs to a user, or an unknown course key whose integration now has a
 * course with that activity id or one of the key's external-id candidates (`candidatesOf`, from
 * the stats mapping). Statements without a learner e-mail or about something that is not a course
 * can never resolve and are left alone.
 */
export async function resolvableUnmatched(
  db: Db,
  candidatesOf: (courseKey: string) => string[],
): Promise<number[]> {
  const learners = await db
    .selectFrom('stats_unmatched')
    .select('statement_seq')
    .where('reason', '=', 'unknown_learner')
    .where('learner_mail', 'in', db.selectFrom('users').select('email_normalized'))
    .execute();
  const seqs = learners.map((r) => Number(r.statement_seq));
  // One row per unknown course key (not per statement): few, however many statements wait.
  const keys = await db
    .selectFrom('stats_unmatched')
    .select(['integration_id', 'course_key'])
    .distinct()
    .where('reason', '=', 'unknown_course')
    .where('course_key', 'is not', null)
    .execute();
  const byIntegration = new Map<string, string[]>();
  for (const k of keys) {
    const list = byIntegration.get(k.integration_id) ?? [];
    if (list.length === 0) byIntegration.set(k.integration_id, list);
    list.push(k.course_key!);
  }
  for (const [integrationId, courseKeys] of byIntegration) {
    for (let i = 0; i < courseKeys.length; i += 500) {
      const chunk = courseKeys.slice(i, i + 500);
      const ids = [...new Set(chunk.flatMap(candidatesOf))];
      const known = await db
        .selectFrom('courses')
        .select(['external_id', 'xapi_activity_id'])
        .where('integration_id', '=', integrationId)
        .where((eb) => eb.or([eb('xapi_activity_id', 'in', chunk), eb('external_id', 'in', ids)]))
        .execute();
      const found = new Set(known.flatMap((c) => [c.external_id, c.xapi_activity_id]));
      const resolvable = chunk.filter(
        (key) => found.has(key) || candidatesOf(key).some((id) => found.has(id)),
      );
      if (resolvable.length === 0) continue;
      const rows = await db
        .selectFrom('stats_unmatched')
        .select('statement_seq')
        .where('reason', '=', 'unknown_course')
        .where('integration_id', '=', integrationId)
        .where('course_key', 'in', resolvable)
        .execute();
      for (const r of rows) seqs.push(Number(r.statement_seq));
    }
  }
  return seqs;
}

export async function getUserMail(db: Db, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('email_normalized').where('id', '=', userId).executeTakeFirst())
    ?.email_normalized;
}

export async function getCourseKeys(db: Db, courseId: string) {
  return db
    .selectFrom('courses')
    .select(['integration_id', 'external_id', 'xapi_activity_id'])
    .where('id', '=', courseId)
    .executeTakeFirst();
}
