// SQL functions the SQLite search index needs. Registered on every connection by createDb: the
// FTS5 triggers (migration 006) call `sb_strip_html`, so a connection without it cannot write courses.
import type SQLite from 'better-sqlite3';
import { stripHtml } from './search.text.js';

export function registerSqliteSearchFunctions(sqlite: SQLite.Database): void {
  sqlite.function('sb_strip_html', { deterministic: true }, (html: unknown) =>
    typeof html === 'string' ? stripHtml(html) : null,
  );
}
