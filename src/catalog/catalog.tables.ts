// Columns that migration 002 adds to core tables, merged into `Database` in src/db/schema.ts.
import type { CoursesTable, SyncLocksTable, SyncRunErrorsTable } from '../db/schema.js';

export type SyncErrorSeverity = 'error' | 'warning';

export interface CatalogTables {
  courses: CoursesTable & {
    /** sha256 of the vendor item as last mapped (with the mapping version): unchanged items skip mapping. */
    source_hash: string | null;
  };
  sync_locks: SyncLocksTable & {
    /** "hostname:pid" of the process holding the lease (null for leases taken before 002). */
    holder: string | null;
  };
  sync_run_errors: SyncRunErrorsTable & { severity: SyncErrorSeverity };
}
