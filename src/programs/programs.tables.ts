// Program templates (ordered blocks, each a course) and sessions run from them (migration 006).
export interface ProgramTemplatesTable {
  id: string;
  group_id: string;
  name: string;
  description: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProgramBlocksTable {
  template_id: string;
  /** 0-based, dense: blocks are appended, never reordered. */
  position: number;
  course_id: string;
  added_by: string | null;
  added_at: string;
}

export interface ProgramSessionsTable {
  id: string;
  template_id: string;
  name: string;
  starts_at: string;
  created_by: string | null;
  created_at: string;
}

export interface ProgramSessionLearnersTable {
  session_id: string;
  user_id: string;
  enrolled_by: string | null;
  enrolled_at: string;
}

export interface ProgramsTables {
  program_templates: ProgramTemplatesTable;
  program_blocks: ProgramBlocksTable;
  program_sessions: ProgramSessionsTable;
  program_session_learners: ProgramSessionLearnersTable;
}
