import type { Kysely } from 'kysely';
import type { Engine } from '../db.js';

// SSO: the SAML service provider (OpenSesame) that each integration signs its learners into. The
// IdP's own key pair lives, sealed, in the core `settings` table.
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('saml_service_providers')
    .addColumn('integration_id', 'text', (c) => c.primaryKey().references('integrations.id'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('acs_url', 'text', (c) => c.notNull())
    .addColumn('metadata_xml', 'text')
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
