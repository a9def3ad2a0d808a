// Program templates (ordered blocks, each a course) and sessions run from them (migration 006).
import type { EnrolmentColumns, SequenceHeadTable, SequenceItemColumns } from '../paths/sequence.tables.js';

export type ProgramTemplatesTable = SequenceHeadTable;

/** Blocks are appended, never reordered. */
export type ProgramBlocksTable = SequenceItemColumns & { template_id: string };

export interface ProgramSessionsTable {
  id: string;
  template_id: string;
  name: string;
  starts_at: string;
  created_by: string | null;
  created_at: string;
}

export type ProgramSessionLearnersTable = EnrolmentColumns & { session_id: string };

export interface ProgramsTables {
  program_templates: ProgramTemplatesTable;
  program_blocks: ProgramBlocksTable;
  program_sessions: ProgramSessionsTable;
  program_session_learners: ProgramSessionLearnersTable;
}
