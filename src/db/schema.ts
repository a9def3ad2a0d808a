// Row types of every table, as Kysely sees them. Portable choices, the same on SQLite and PostgreSQL:
// ids are text (UUIDs), times are ISO 8601 UTC text ("2026-12-04T06:50:00.000Z", sorts as text),
// booleans are integers 0/1, JSON is text. Each area adds its tables in its own migration file and
// its own interface below, merged into `Database`.
import type { Generated } from 'kysely';
import type { PlatformTables } from '../platform/platform.tables.js';
import type { CatalogTables } from '../catalog/catalog.tables.js';
import type { SsoTables } from '../sso/sso.tables.js';
import type { IntegrationTables } from '../integrations/integrations.tables.js';
import type { XapiTables } from '../xapi/xapi.tables.js';
import type { SearchTables } from '../search/search.tables.js';
import type { PathsTables } from '../paths/paths.tables.js';
import type { ProgramsTables } from '../programs/programs.tables.js';

export type Bool = 0 | 1;

export interface UsersTable {
  id: string;
  email: string;
  /** Lower-cased e-mail: the unique key, so matching is case-insensitive everywhere. */
  email_normalized: string;
  name: string;
  password_hash: string | null;
  /** A platform administrator may act in every group. */
  is_platform_admin: Bool;
  created_at: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  parent_id: string | null;
  is_public: Bool;
  created_at: string;
}

export type Role = 'admin' | 'coach' | 'author' | 'learner';

export interface MembershipsTable {
  group_id: string;
  user_id: string;
  role: Role;
  created_at: string;
}

export interface SessionsTable {
  /** sha256 of the cookie value; the value itself is never stored. */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface CoursesTable {
  id: string;
  /** Null for courses authored on the platform itself. */
  integration_id: string | null;
  source: string;
  external_id: string | null;
  name: string;
  description: string | null;
  image: string | null;
  duration_minutes: number | null;
  author: string | null;
  lang: string;
  /** JSON array of the other platform language codes. */
  other_langs: string;
  launch_url: string | null;
  modified_at: string | null;
  /** JSON array of subject strings. */
  subjects: string;
  content_type: string;
  xapi_activity_id: string | null;
  archived: Bool;
  archived_at: string | null;
  /** Why it is archived: 'inactive' | 'absent' | 'deactivated' | null. */
  archived_reason: string | null;
  content_hash: string | null;
  /** The vendor item as received, JSON. */
  raw: string | null;
  /** JSON array of tags added by hand; never touched by a sync. */
  local_tags: string;
  created_at: string;
  updated_at: string;
}

export interface CatalogEntriesTable {
  group_id: string;
  course_id: string;
  added_by: string | null;
  added_at: string;
}

export type LibraryEntriesTable = CatalogEntriesTable;

export type IntegrationStatus = 'setting-up' | 'active' | 'inactive';

export interface IntegrationsTable {
  id: string;
  group_id: string;
  provider: string;
  status: IntegrationStatus;
  connector_admin_user_id: string | null;
  api_url: string;
  token_url: string;
  client_id: string;
  client_secret_sealed: string;
  ciid_sealed: string;
  cron: string;
  time_zone: string;
  mass_archive_threshold: number;
  webhook_client_id: string;
  webhook_secret_sealed: string;
  /** Bumped by each rotation and deactivation: tokens carry it, so old tokens die. */
  credentials_version: number;
  previous_webhook_secret_sealed: string | null;
  previous_secret_valid_until: string | null;
  /** Set at deactivation: credentials work until then so completions in flight still land. */
  credentials_valid_until: string | null;
  /** Set while the mass-archive brake holds archives for an admin to confirm. */
  archive_hold_run_id: string | null;
  last_scheduled_for: string | null;
  activated_at: string | null;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export type SyncTrigger = 'schedule' | 'manual' | 'activation' | 'startup' | 'cli';
export type SyncStatus = 'running' | 'succeeded' | 'failed';

export interface SyncRunsTable {
  id: string;
  integration_id: string;
  trigger: SyncTrigger;
  status: SyncStatus;
  started_at: string;
  finished_at: string | null;
  /** Refreshed while the run lives; a running row with a stale heartbeat was killed. */
  heartbeat_at: string;
  listing_complete: Bool;
  listed: number;
  created: number;
  updated: number;
  unchanged: number;
  archived: number;
  restored: number;
  rejected: number;
  held_archives: number;
  error_code: string | null;
  error_message: string | null;
}

export interface SyncRunErrorsTable {
  id: Generated<number>;
  run_id: string;
  external_id: string | null;
  code: string;
  message: string;
}

export interface HeldArchivesTable {
  run_id: string;
  integration_id: string;
  course_id: string;
  held_at: string;
}

/** A lease that makes one sync per integration at a time, across processes, on both engines. */
export interface SyncLocksTable {
  integration_id: string;
  run_id: string;
  expires_at: string;
}

/** Small key-value store for instance-wide state (SAML key pair, first-start markers). */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface CoreTables {
  users: UsersTable;
  groups: GroupsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  courses: CoursesTable;
  catalog_entries: CatalogEntriesTable;
  library_entries: LibraryEntriesTable;
  integrations: IntegrationsTable;
  sync_runs: SyncRunsTable;
  sync_run_errors: SyncRunErrorsTable;
  held_archives: HeldArchivesTable;
  sync_locks: SyncLocksTable;
  settings: SettingsTable;
}

// Areas extend this with their own table interfaces (see src/db/README.md).
// One line per area, each ending in `&` so that merges of new areas stay trivial.
export type Database = CoreTables & // core
  PlatformTables & // platform
  CatalogTables & // catalog
  XapiTables & // xapi
  SsoTables & // sso
  SearchTables & // search (courses at work)
  PathsTables & // paths
  ProgramsTables & // programs
  IntegrationTables & // integrations (004)
  unknown;
