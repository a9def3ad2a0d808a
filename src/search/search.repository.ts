// Full-text course search on both engines: SQLite FTS5 (bm25) and PostgreSQL tsvector (ts_rank).
// One set of conditions, each tagged with its facet dimension, so that a facet's counts ignore the
// filter on that same dimension (picking "fr" still shows how many "en" courses there are).
import { sql, type RawBuilder } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import type { CourseScope } from './search.visibility.js';
import { scopeCondition } from './search.scope.repository.js';
import { fts5Match, tsQuery } from './search.text.js';

export type FacetName = 'lang' | 'subject' | 'contentType' | 'source';
export const FACETS: readonly FacetName[] = ['lang', 'subject', 'contentType', 'source'];

export type SearchFilters = {
  q?: string | undefined;
  lang?: string[] | undefined;
  subject?: string[] | undefined;
  contentType?: string[] | undefined;
  source?: string[] | undefined;
  minDuration?: number | undefined;
  maxDuration?: number | undefined;
};

export type SearchHitRow = {
  id: string;
  name: string;
  description: string | null;
  image: string | null;
  author: string | null;
  lang: string;
  subjects: string;
  content_type: string;
  duration_minutes: number | null;
  source: string;
  rank: number | null;
};

export type FacetCount = { value: string; count: number };
export type SearchRows = {
  total: number;
  hits: SearchHitRow[];
  facets: Record<FacetName, FacetCount[]>;
};

type Condition = { dim: FacetName | null; expr: RawBuilder<unknown> };
const FACET_LIMIT = 50;

export async function searchCourses(
  db: Db,
  engine: Engine,
  scope: CourseScope,
  filters: SearchFilters,
  page: { limit: number; offset: number },
  options: { facets?: boolean } = {},
): Promise<SearchRows> {
  const match = engine === 'sqlite' ? fts5Match(filters.q) : tsQuery(filters.q);
  // Matching courses as a derived table `m(mid, rank)`; joined first so the text index drives.
  const matched =
    match === undefined
      ? undefined
      : engine === 'sqlite'
        ? sql`(SELECT rowid AS mid, bm25(courses_fts, 10.0, 1.0, 4.0, 2.0) AS rank
               FROM courses_fts WHERE courses_fts MATCH ${match})`
        : sql`(SELECT course_id AS mid, ts_rank(tsv, to_tsquery('simple', ${match})) AS rank
               FROM course_search WHERE tsv @@ to_tsquery('simple', ${match}))`;
  const from = matched
    ? sql`${matched} m JOIN courses c ON c.${sql.raw(engine === 'sqlite' ? 'rowid' : 'id')} = m.mid`
    : sql`courses c`;

  const conds: Condition[] = [
    { dim: null, expr: sql`c.archived = 0` },
    { dim: null, expr: sql`${scopeCondition(scope)}` },
  ];
  const inList = (dim: FacetName, column: string, values: string[] | undefined) => {
    if (values && values.length > 0)
      conds.push({ dim, expr: sql`${sql.ref(column)} IN (${sql.join(values)})` });
  };
  inList('lang', 'c.lang', filters.lang);
  inList('contentType', 'c.content_type', filters.contentType);
  inList('source', 'c.source', filters.source);
  if (filters.subject && filters.subject.length > 0)
    conds.push({
      dim: 'subject',
      expr: sql`c.id IN (SELECT course_id FROM course_subjects WHERE subject IN (${sql.join(filters.subject)}))`,
    });
  if (filters.minDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes >= ${filters.minDuration}` });
  if (filters.maxDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes <= ${filters.maxDuration}` });

  const where = (except?: FacetName) =>
    sql.join(
      conds.filter((c) => except === undefined || c.dim !== except).map((c) => c.expr),
      sql` AND `,
    );
  const order = matched
    ? engine === 'sqlite'
      ? sql`m.rank ASC, c.name, c.id`
      : sql`m.rank DESC, c.name, c.id`
    : sql`c.name, c.id`;
  const rank = matched ? sql`m.rank` : sql`NULL`;

  const hits = await sql<SearchHitRow>`
    SELECT c.id, c.name, c.description, c.image, c.author, c.lang, c.subjects, c.content_type,
           c.duration_minutes, c.source, ${rank} AS rank
    FROM ${from} WHERE ${where()} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  const total = await sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE ${where()}`.execute(db);

  const facets: Record<FacetName, FacetCount[]> = { lang: [], subject: [], contentType: [], source: [] };
  if (options.facets !== false) {
    const column: Record<Exclude<FacetName, 'subject'>, string> = {
      lang: 'c.lang',
      contentType: 'c.content_type',
      source: 'c.source',
    };
    for (const dim of FACETS) {
      const rows =
        dim === 'subject'
          ? await sql<FacetCount>`
              SELECT s.subject AS value, count(*) AS count
              FROM ${from} JOIN course_subjects s ON s.course_id = c.id
              WHERE ${where(dim)} GROUP BY s.subject ORDER BY count(*) DESC, s.subject LIMIT ${FACET_LIMIT}`.execute(
              db,
            )
          : await sql<FacetCount>`
              SELECT ${sql.ref(column[dim])} AS value, count(*) AS count FROM ${from}
              WHERE ${where(dim)} GROUP BY ${sql.ref(column[dim])}
              ORDER BY count(*) DESC, ${sql.ref(column[dim])} LIMIT ${FACET_LIMIT}`.execute(db);
      facets[dim] = rows.rows.map((r) => ({ value: r.value, count: Number(r.count) }));
    }
  }
  return { total: Number(total.rows[0]?.n ?? 0), hits: hits.rows, facets };
}
