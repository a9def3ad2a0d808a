// Search side tables (migration 006). The FTS5 table (SQLite) and the tsvector column (PostgreSQL)
// are engine-specific and reached through raw SQL in search.repository.ts, so they are not typed here.
export interface CourseSubjectsTable {
  course_id: string;
  subject: string;
}

export interface SearchTables {
  course_subjects: CourseSubjectsTable;
}
