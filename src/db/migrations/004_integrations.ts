import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// integrations.uses_embedded_sandbox: 1 when the integration was activated against the embedded
// OpenSesame sandbox (no OpenSesame settings, none given). Such an integration follows the sandbox
// of the running process, which listens on a new port each start unless SANDBOX_PORT pins it.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .alterTable('integrations')
    .addColumn('uses_embedded_sandbox', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
