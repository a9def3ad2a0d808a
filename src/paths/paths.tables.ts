// Paths (migration 006): ordered steps, each a course; learners enrolled. Linear: a step unlocks
// when every step before it is completed (read from attempts, never stored).
import type { EnrolmentColumns, SequenceHeadTable, SequenceItemColumns } from './sequence.tables.js';

export type PathsTable = SequenceHeadTable;

/** Steps are appended, reordered or removed by rewriting the path's rows. */
export type PathStepsTable = SequenceItemColumns & { path_id: string };

export type PathEnrolmentsTable = EnrolmentColumns & { path_id: string };

export interface PathsTables {
  paths: PathsTable;
  path_steps: PathStepsTable;
  path_enrolments: PathEnrolmentsTable;
}
