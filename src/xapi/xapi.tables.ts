// Row types of the xAPI and statistics tables (migrations 005, 005b), merged into `Database`.
import type { Generated } from 'kysely';

export interface XapiStatementsTable {
  seq: Generated<number>;
  /** Lower-case UUID; unique per integration (one integration never sees another's statements). */
  id: string;
  integration_id: string;
  /** The statement as stored (with id, stored, authority, version, timestamp), JSON. */
  statement: string;
  verb_id: string;
  activity_id: string | null;
  registration: string | null;
  /** UTC ISO text. */
  timestamp: string;
  stored: string;
  voided: 0 | 1;
  voids_id: string | null;
}

/** Statements not yet turned into statistics: the drain's queue (see src/stats/README.md). */
export interface XapiStatsPendingTable {
  seq: number;
}

export interface XapiStatementRefsTable {
  statement_seq: number;
  kind: 'agent' | 'activity';
  key: string;
  /** 0: actor/object (the plain filter); 1: anywhere else (related_agents / related_activities). */
  related: 0 | 1;
}

export interface XapiAttachmentsTable {
  integration_id: string;
  sha2: string;
  content_type: string;
  length: number;
  content_base64: string;
  created_at: string;
}

export type UnmatchedReason = 'unknown_learner' | 'unknown_course' | 'no_learner_mail' | 'not_a_course';

export interface StatsUnmatchedTable {
  statement_seq: number;
  integration_id: string;
  statement_id: string;
  reason: UnmatchedReason;
  learner_mail: string | null;
  course_key: string | null;
  received_at: string;
}

export type AttemptEntryType = 'catalog' | 'path' | 'program';

export interface AttemptsTable {
  id: string;
  user_id: string;
  course_id: string;
  entry_type: AttemptEntryType;
  entry_id: string | null;
  /** 0–100; 100 means completed. */
  progress: number;
  result: 'success' | 'failed' | null;
  /** 0–100. */
  score: number | null;
  time_spent_ms: number | null;
  first_activity_at: string;
  last_activity_at: string;
  completed_at: string | null;
  origin: 'launch' | 'statement';
  created_at: string;
  updated_at: string;
}

export interface XapiTables {
  xapi_statements: XapiStatementsTable;
  xapi_statement_refs: XapiStatementRefsTable;
  xapi_stats_pending: XapiStatsPendingTable;
  xapi_attachments: XapiAttachmentsTable;
  stats_unmatched: StatsUnmatchedTable;
  attempts: AttemptsTable;
}
