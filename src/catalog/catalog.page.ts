// Applies one page of the vendor listing: map every item, compare with what is stored (content hash
// and archive state), and write only what changed, in one transaction. A page is all or nothing, so
// a run killed at any point leaves whole pages behind and a re-run picks up from there.
import crypto from 'node:crypto';
import type { Db } from '../db/db.js';
import { mapCourse, parseActive, rawExternalId, sourceHash, type MappedCourse } from './catalog.mapping.js';
import {
  contentColumns,
  findCoursesByExternalIds,
  insertCourses,
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
  /** The integration has held archives: present courses must leave the hold. */
  hasHold: boolean;
  now: () => string;
};

type Valid = { course: MappedCourse; hash: string; sourceHash: string; raw: unknown; issues: RunIssue[] };
type Same = { externalId: string; active: boolean };

export async function applyPage(db: Db, scope: PageScope, items: readonly unknown[]): Promise<PageCounts> {
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
  // Reads need no transaction (the run's lease keeps other runs out); writes are one transaction per
  // batch, and a batch with nothing to write (a no-op re-sync) opens none at all.
  const ids = items.map(rawExternalId).filter((id): id is string => id !== undefined);
  const stored = await findCoursesByExternalIds(db, scope.integrationId, ids);
  const byExternalId = new Map(stored.map((s) => [s.external_id, s]));

  const rejections: RunIssue[] = [];
  const valid: Valid[] = [];
  const same: Same[] = [];
  const seenHere = new Set<string>();
  const duplicate = (id: string) => {
    if (!scope.seen.has(id) && !seenHere.has(id)) return false;
    rejections.push({
      externalId: id,
      code: 'duplicate_id',
      message: 'listed more than once; first occurrence kept',
      severity: 'warning',
    });
    return true;
  };
  for (const item of items) {
    // Fast path: the vendor item is byte-for-byte what was last mapped and stored (same mapping
    // version), so its mapped content cannot have changed: skip mapping and sanitising it.
    const rawId = rawExternalId(item);
    const row = rawId === undefined ? undefined : byExternalId.get(rawId);
    const source = sourceHash(item);
    if (rawId !== undefined && row?.source_hash === source) {
      if (duplicate(rawId)) continue;
      seenHere.add(rawId);
      same.push({ externalId: rawId, active: parseActive((item as { active?: unknown }).active) ?? true });
      continue;
    }
    const result = mapCourse(item);
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

  const now = scope.now();
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
        id: crypto.randomUUID(),
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
  const releaseHeld = scope.hasHold && present.length > 0;
  if (fresh.length > 0 || changes.length > 0 || issues.length > 0 || releaseHeld) {
    await db.transaction().execute(async (trx) => {
      for (const c of changes) counts.courseRowsWritten += await updateCourse(trx, c.id, c.patch, now);
      counts.courseRowsWritten += await insertCourses(trx, scope.integrationId, scope.groupId, fresh, now);
      if (releaseHeld) await releaseHeldCourses(trx, scope.integrationId, present);
      await insertRunErrors(trx, scope.runId, issues);
    });
  }
  // Only once the page is committed does it count as seen.
  for (const id of seenHere) scope.seen.add(id);
  return counts;
}
