// Paths (migration 006): ordered steps, each a course; learners enrolled. Linear: a step unlocks
// when every step before it is completed (read from attempts, never stored).
export interface PathsTable {
  id: string;
  group_id: string;
  name: string;
  description: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PathStepsTable {
  path_id: string;
  /** 0-based, dense: steps are appended, reordered or removed by rewriting the path's rows. */
  position: number;
  course_id: string;
  added_by: string | null;
  added_at: string;
}

export interface PathEnrolmentsTable {
  path_id: string;
  user_id: string;
  enrolled_by: string | null;
  enrolled_at: string;
}

export interface PathsTables {
  paths: PathsTable;
  path_steps: PathStepsTable;
  path_enrolments: PathEnrolmentsTable;
}
