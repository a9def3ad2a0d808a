// Applies one page of the vendor listing: map every item, compare with what is stored (content hash
// and archive state), and write only what changed, in one transaction. A page is all or nothing, so
// a run killed at any point leaves whole pages behind and a re-run picks up from there.
import crypto from 'node:crypto';
import type { Db } from '../db/db.js';
import { mapCourse, type MappedCourse } from './catalog.mapping.js';
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

type Valid = { course: MappedCourse; hash: string; raw: unknown; issues: RunIssue[] };

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
  const rejections: RunIssue[] = [];
  const valid: Valid[] = [];
  const seenHere = new Set<string>();
  for (const item of items) {
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
    if (scope.seen.has(id) || seenHere.has(id)) {
      rejections.push({
        externalId: id,
        code: 'duplicate_id',
        message: 'listed more than once; first occurrence kept',
        severity: 'warning',
      });
      continue;
    }
    seenHere.add(id);
    const issues = result.warnings.map((w) => ({
      externalId: id,
      code: w.code,
      message: w.message,
      severity: 'warning' as const,
    }));
    valid.push({ course: result.course, hash: result.hash, raw: item, issues });
  }

  await db.transaction().execute(async (trx) => {
    const now = scope.now();
    const stored = await findCoursesByExternalIds(
      trx,
      scope.integrationId,
      valid.map((v) => v.course.externalId),
    );
    const byExternalId = new Map(stored.map((s) => [s.external_id, s]));
    const fresh: NewCourse[] = [];
    const present: string[] = [];
    // Warnings are recorded with the write they concern: an unchanged course does not repeat them daily.
    const issues: RunIssue[] = [...rejections];
    for (const v of valid) {
      const row = byExternalId.get(v.course.externalId);
      const wanted: ArchiveReason | null = v.course.active ? null : 'inactive';
      if (!row) {
        fresh.push({
          id: crypto.randomUUID(),
          externalId: v.course.externalId,
          content: contentColumns(v.course, v.hash, v.raw),
          archivedReason: wanted,
        });
        counts.created += 1;
        issues.push(...v.issues);
        continue;
      }
      present.push(row.id);
      const patch: CoursePatch = {};
      if (row.content_hash !== v.hash) {
        patch.content = contentColumns(v.course, v.hash, v.raw);
        counts.updated += 1;
        issues.push(...v.issues);
      } else counts.unchanged += 1;
      if (wanted && row.archived === 0) {
        patch.archive = wanted;
        counts.archived += 1;
      } else if (
        !wanted &&
        row.archived === 1 &&
        RESTORABLE_REASONS.includes(row.archived_reason as ArchiveReason)
      ) {
        patch.archive = null;
        counts.restored += 1;
      }
      if (patch.content || patch.archive !== undefined)
        counts.courseRowsWritten += await updateCourse(trx, row.id, patch, now);
    }
    counts.courseRowsWritten += await insertCourses(trx, scope.integrationId, scope.groupId, fresh, now);
    if (scope.hasHold) await releaseHeldCourses(trx, scope.integrationId, present);
    await insertRunErrors(trx, scope.runId, issues);
  });
  // Only once the page is committed does it count as seen.
  for (const id of seenHere) scope.seen.add(id);
  return counts;
}
