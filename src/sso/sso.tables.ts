// Tables the SSO area adds (migration 007), merged into `Database` in db/schema.ts.

export interface SamlServiceProvidersTable {
  integration_id: string;
  entity_id: string;
  /** Where assertions are POSTed (HTTP-POST binding). */
  acs_url: string;
  /** The SP metadata as pasted, when it was configured that way. */
  metadata_xml: string | null;
  updated_by: string | null;
  updated_at: string;
}

export interface SsoTables {
  saml_service_providers: SamlServiceProvidersTable;
}
