// Columns that migration 004 adds to core tables, merged into `Database` in src/db/schema.ts.
import type { Generated } from 'kysely';
import type { Bool, IntegrationsTable } from '../db/schema.js';

export interface IntegrationTables {
  integrations: IntegrationsTable & {
    /** Activated against the embedded sandbox: follows this process's sandbox before each run. */
    uses_embedded_sandbox: Generated<Bool>;
  };
}
