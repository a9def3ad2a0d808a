// Every migration, in order, in one static registry (no directory scanning: what runs is what is
// listed here). Each takes the engine for the rare type that differs (serial columns, full-text).
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../db.js';
import * as m001 from './001_core.js';
import * as m002 from './002_catalog_sync.js';
import * as m002b from './002b_catalog_source_hash.js';
import * as m002c from './002c_catalog_drop_external_index.js';
import * as m002d from './002d_catalog_write_path.js';
import * as m003 from './003_platform.js';
import * as m007 from './007_sso.js';
import * as m004 from './004_integrations.js';
import * as m005 from './005_xapi.js';
import * as m005b from './005b_xapi_write_path.js';
import * as m006 from './006_courses_at_work.js';
import * as m006b from './006b_search_browse.js';
import * as m006c from './006c_search_facts.js';
import * as m010 from './010_xapi_derived_tables_unchecked.js';
import * as m009 from './009_search_indexes.js';

type EngineMigration = { up(db: Kysely<unknown>, engine: Engine): Promise<void> };

const REGISTRY: Record<string, EngineMigration> = {
  '001_core': m001,
  '002_catalog_sync': m002,
  '002b_catalog_source_hash': m002b,
  '002c_catalog_drop_external_index': m002c,
  '002d_catalog_write_path': m002d,
  '003_platform': m003,
  '007_sso': m007,
  '004_integrations': m004,
  '005_xapi': m005,
  '005b_xapi_write_path': m005b,
  '006_courses_at_work': m006,
  '006b_search_browse': m006b,
  '006c_search_facts': m006c,
  '010_xapi_derived_tables_unchecked': m010,
  '009_search_indexes': m009,
};

export type MigrationReport = { applied: string[]; error?: { migration: string; message: string } };

/** Applies pending migrations; failures come back as data, not throws. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works below the typed schema
export async function migrateToLatest(db: Kysely<any>, engine: Engine): Promise<MigrationReport> {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of Object.entries(REGISTRY)) migrations[name] = { up: (d) => m.up(d, engine) };
  // Areas number their migrations independently, so a dev database may have a later one applied first.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    return {
      applied,
      error: { migration: failed, message: error instanceof Error ? error.message : String(error) },
    };
  }
  return { applied };
}
