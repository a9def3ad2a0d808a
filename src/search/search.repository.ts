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
  // Matching courses as a derived table `m(mid[, rank])`, joined first so the text index drives.
  // Counting and faceting need no rank, so they get the cheaper form.
  const matchedFrom = (withRank: boolean) => {
    if (match === undefined) return sql`courses c`;
    if (engine === 'sqlite') {
      const rank = withRank ? sql`, bm25(courses_fts, 10.0, 1.0, 4.0, 2.0) AS rank` : sql``;
      return sql`(SELECT rowid AS mid${rank} FROM courses_fts WHERE courses_fts MATCH ${match}) m
                 JOIN courses c ON c.rowid = m.mid`;
    }
    const rank = withRank ? sql`, ts_rank(tsv, to_tsquery('simple', ${match})) AS rank` : sql``;
    return sql`(SELECT course_id AS mid${rank} FROM course_search WHERE tsv @@ to_tsquery('simple', ${match})) m
               JOIN courses c ON c.id = m.mid`;
  };

  const conds: Condition[] = [
    { dim: null, expr: sql`c.archived = 0` },
    { dim: null, expr: sql`${scopeCondition(scope)}` },
  ];
  const selected: Partial<Record<FacetName, string[]>> = {};
  const inList = (dim: Exclude<FacetName, 'subject'>, values: string[] | undefined) => {
    if (values && values.length > 0) selected[dim] = values;
  };
  inList('lang', filters.lang);
  inList('contentType', filters.contentType);
  inList('source', filters.source);
  for (const [dim, values] of Object.entries(selected) as Array<[Exclude<FacetName, 'subject'>, string[]]>)
    conds.push({ dim, expr: sql`${sql.ref(COLUMN[dim])} IN (${sql.join(values)})` });
  if (filters.subject && filters.subject.length > 0)
    conds.push({
      dim: 'subject',
      expr: sql`EXISTS (SELECT 1 FROM course_subjects cs WHERE cs.course_id = c.id AND cs.subject IN (${sql.join(filters.subject)}))`,
    });
  if (filters.minDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes >= ${filters.minDuration}` });
  if (filters.maxDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes <= ${filters.maxDuration}` });

  const where = (keep: (c: Condition) => boolean = () => true) =>
    sql.join(
      conds.filter(keep).map((c) => c.expr),
      sql` AND `,
    );
  const order =
    match === undefined
      ? sql`c.name, c.id`
      : engine === 'sqlite'
        ? sql`m.rank ASC, c.name, c.id`
        : sql`m.rank DESC, c.name, c.id`;
  const rank = match === undefined ? sql`NULL` : sql`m.rank`;

  const hits = await sql<SearchHitRow>`
    SELECT c.id, c.name, c.description, c.image, c.author, c.lang, c.subjects, c.content_type,
           c.duration_minutes, c.source, ${rank} AS rank
    FROM ${matchedFrom(true)} WHERE ${where()} ORDER BY ${order}
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);

  // One grouped scan gives the total and the language, content type and source facets: it leaves
  // out the filters on those three dimensions, and each count is then summed here with the filters
  // that apply to it (a facet ignores its own filter).
  const combos = await sql<{ lang: string; content_type: string; source: string; n: number }>`
    SELECT c.lang, c.content_type, c.source, count(*) AS n FROM ${matchedFrom(false)}
    WHERE ${where((c) => c.dim === null || c.dim === 'subject')}
    GROUP BY c.lang, c.content_type, c.source`.execute(db);
  const passes = (row: Record<string, unknown>, except?: FacetName) =>
    (Object.entries(selected) as Array<[Exclude<FacetName, 'subject'>, string[]]>).every(
      ([dim, values]) => dim === except || values.includes(String(row[FIELD[dim]])),
    );
  let total = 0;
  const counts: Record<Exclude<FacetName, 'subject'>, Map<string, number>> = {
    lang: new Map(),
    contentType: new Map(),
    source: new Map(),
  };
  for (const row of combos.rows) {
    const n = Number(row.n);
    if (passes(row)) total += n;
    for (const dim of ['lang', 'contentType', 'source'] as const)
      if (passes(row, dim)) {
        const key = String(row[FIELD[dim]]);
        counts[dim].set(key, (counts[dim].get(key) ?? 0) + n);
      }
  }
  const facets: Record<FacetName, FacetCount[]> = {
    lang: top(counts.lang),
    contentType: top(counts.contentType),
    source: top(counts.source),
    subject: [],
  };
  if (options.facets !== false) {
    const rows = await sql<FacetCount>`
      SELECT s.subject AS value, count(*) AS count
      FROM ${matchedFrom(false)} JOIN course_subjects s ON s.course_id = c.id
      WHERE ${where((c) => c.dim !== 'subject')}
      GROUP BY s.subject ORDER BY count(*) DESC, s.subject LIMIT ${FACET_LIMIT}`.execute(db);
    facets.subject = rows.rows.map((r) => ({ value: r.value, count: Number(r.count) }));
  }
  return { total, hits: hits.rows, facets };
}

const COLUMN = { lang: 'c.lang', contentType: 'c.content_type', source: 'c.source' } as const;
const FIELD = { lang: 'lang', contentType: 'content_type', source: 'source' } as const;

function top(counts: Map<string, number>): FacetCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, FACET_LIMIT);
}
