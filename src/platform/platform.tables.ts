// Columns the platform adds to core tables (migration 003), merged into `Database` in db/schema.ts.

export interface PlatformTables {
  courses: {
    /** The group that owns a course authored on the platform; null for synced courses. */
    owner_group_id: string | null;
    /** Who created a platform-authored course. */
    created_by: string | null;
  };
}
