// Applies one batch of the vendor listing in two steps: `planPage` maps every item (in the mapping
// worker), compares with what is stored (content hash and archive state) and decides what to write;
// `writePlan` writes only what changed, in one transaction. A batch is all or nothing, so a run killed
// at any point leaves whole batches behind and a re-run picks up from there. The sync plans batch N
// while batch N-1 is written, so ids planned but not yet written count as seen (`scope.pending`).
import type { Db, Engine } from '../db/db.js';
import { Conflict } from '../errors.js';
import { newCourseId } from '../platform/course-id.js';
import { parseActive, rawExternalId, sourceHash, type MappedCourse } from './catalog.mapping.js';
import type { Mapper } from './catalog.mapper.js';
import {
  contentColumns,
  findCoursesByExternalIds,
  insertCourses,
  integrationStillLive,
  releaseHeldCourses,
  RESTORABLE_REASONS,
  updateCourse,
  type ArchiveReason,
  type CoursePatch,
  type NewCourse,
  type StoredCourseState,
} from './catalog.repository.js';
import { insertRunErrors, type RunIssue } from './sync-runs.repository.js';

export type PageCounts = {
  listed: number;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  restored: number;
  rejected: number;
  /** Course rows inserted or updated: what "a no-op re-sync writes nothing" is measured with. */
  courseRowsWritten: number;
};

export type PageScope = {
  runId: string;
  integrationId: string;
  groupId: string;
  /** External ids seen so far in this run (present courses are never archived as absent). */
  seen: Set<string>;
  /** External ids of batches planned but not written yet (duplicates of them are rejected too). */
  pending: Set<string>;
  /** The integration has held archives: present courses must leave the hold. */
  hasHold: boolean;
  now: () => string;
  engine: Engine;
};

type Valid = { course: MappedCourse; hash: string; sourceHash: string; raw: unknown; issues: RunIssue[] };
type Same = { externalId: string; active: boolean };

/** What one batch will write: the output of `planPage`, the input of `writePlan`. */
export type PagePlan = {
  counts: PageCounts;
  fresh: NewCourse[];
  changes: Array<{ id: string; patch: CoursePatch }>;
  present: string[];
  issues: RunIssue[];
  seenHere: Set<string>;
};

/** What is stored of a batch's courses. Reads need no transaction (the run's lease keeps others out). */
export async function lookUpPage(
  db: Db,
  scope: PageScope,
  items: readonly unknown[],
): Promise<StoredCourseState[]> {
  const ids = items.map(rawExternalId).filter((id): id is string => id !== undefined);
  return findCoursesByExternalIds(db, scope.integrationId, ids);
}

/** Decides what a batch writes. Its items go to the mapping worker before its first await. */
export async function planPage(
  scope: PageScope,
  items: readonly unknown[],
  stored: readonly StoredCourseState[],
  mapper: Mapper,
): Promise<PagePlan> {
  const counts: PageCounts = {
    listed: items.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    archived: 0,
    restored: 0,
    rejected: 0,
    courseRowsWritten: 0,
  };
  const byExternalId = new Map(stored.map((s) => [s.external_id, s]));

  const rejections: RunIssue[] = [];
  const valid: Valid[] = [];
  const same: Same[] = [];
  const seenHere = new Set<string>();
  const duplicate = (id: string) => {
    if (!scope.seen.has(id) && !scope.pending.has(id) && !seenHere.has(id)) return false;
    rejections.push({
      externalId: id,
      code: 'duplicate_id',
      message: 'listed more than once; first occurrence kept',
      severity: 'warning',
    });
    return true;
  };
  // Fast path: the vendor item is byte-for-byte what was last mapped and stored (same mapping
  // version), so its mapped content cannot have changed: it is not mapped (nor sanitised) again.
  // Items keep their listing order, so that "first occurrence kept" holds for duplicates.
  const sources = items.map(sourceHash);
  const unchanged = items.map((item, i) => {
    const rawId = rawExternalId(item);
    const row = rawId === undefined ? undefined : byExternalId.get(rawId);
    return rawId !== undefined && row?.source_hash === sources[i] ? rawId : undefined;
  });
  const mapped = await mapper.map(items.filter((_, i) => unchanged[i] === undefined));
  let m = 0;
  for (const [i, item] of items.entries()) {
    const rawId = unchanged[i];
    const source = sources[i]!;
    if (rawId !== undefined) {
      if (duplicate(rawId)) continue;
      seenHere.add(rawId);
      same.push({ externalId: rawId, active: parseActive((item as { active?: unknown }).active) ?? true });
      continue;
    }
    const result = mapped[m++]!;
    if (!result.ok) {
      counts.rejected += 1;
      rejections.push({
        externalId: result.externalId ?? null,
        code: result.code,
        message: result.reason,
        severity: 'error',
      });
      // A rejected course is still present: its stored copy stays as it was, never archived as absent.
      if (result.externalId) seenHere.add(result.externalId);
      continue;
    }
    const id = result.course.externalId;
    if (duplicate(id)) continue;
    seenHere.add(id);
    const issues = result.warnings.map((w) => ({
      externalId: id,
      code: w.code,
      message: w.message,
      severity: 'warning' as const,
    }));
    valid.push({ course: result.course, hash: result.hash, sourceHash: source, raw: item, issues });
  }

  const fresh: NewCourse[] = [];
  const changes: Array<{ id: string; patch: CoursePatch }> = [];
  const present: string[] = [];
  // Warnings are recorded with the write they concern: an unchanged course does not repeat them daily.
  const issues: RunIssue[] = [...rejections];
  const archiveState = (row: StoredCourseState, active: boolean, patch: CoursePatch) => {
    if (!active && row.archived === 0) {
      patch.archive = 'inactive';
      counts.archived += 1;
    } else if (
      active &&
      row.archived === 1 &&
      RESTORABLE_REASONS.includes(row.archived_reason as ArchiveReason)
    ) {
      patch.archive = null;
      counts.restored += 1;
    }
  };
  for (const s of same) {
    const row = byExternalId.get(s.externalId)!;
    present.push(row.id);
    counts.unchanged += 1;
    const patch: CoursePatch = {};
    archiveState(row, s.active, patch);
    if (patch.archive !== undefined) changes.push({ id: row.id, patch });
  }
  for (const v of valid) {
    const row = byExternalId.get(v.course.externalId);
    if (!row) {
      fresh.push({
        id: newCourseId(),
        externalId: v.course.externalId,
        content: contentColumns(v.course, v.hash, v.sourceHash, v.raw),
        archivedReason: v.course.active ? null : 'inactive',
      });
      counts.created += 1;
      issues.push(...v.issues);
      continue;
    }
    present.push(row.id);
    const patch: CoursePatch = {};
    if (row.content_hash !== v.hash) {
      patch.content = contentColumns(v.course, v.hash, v.sourceHash, v.raw);
      counts.updated += 1;
      issues.push(...v.issues);
    } else counts.unchanged += 1;
    archiveState(row, v.course.active, patch);
    if (patch.content || patch.archive !== undefined) changes.push({ id: row.id, patch });
  }
  for (const id of seenHere) scope.pending.add(id);
  return { counts, fresh, changes, present, issues, seenHere };
}

/** Writes a planned batch in one transaction; a batch with nothing to write opens none. */
export async function writePlan(db: Db, scope: PageScope, plan: PagePlan): Promise<PageCounts> {
  const { counts, fresh, changes, present, issues } = plan;
  const now = scope.now();
  const releaseHeld = scope.hasHold && present.length > 0;
  if (fresh.length > 0 || changes.length > 0 || issues.length > 0 || releaseHeld) {
    await db.transaction().execute(async (trx) => {
      for (const c of changes) counts.courseRowsWritten += await updateCourse(trx, c.id, c.patch, now);
      counts.courseRowsWritten += await insertCourses(
        trx,
        scope.engine,
        scope.integrationId,
        scope.groupId,
        fresh,
        now,
      );
      if (releaseHeld) await releaseHeldCourses(trx, scope.integrationId, present);
      await insertRunErrors(trx, scope.runId, issues);
      if (!(await integrationStillLive(trx, scope.engine, scope.integrationId)))
        throw Conflict('integration_deactivated', 'the integration was deactivated during the run: stopped');
    });
  }
  // Only once the batch is committed does it count as seen.
  for (const id of plan.seenHere) {
    scope.pending.delete(id);
    scope.seen.add(id);
  }
  return counts;
}
