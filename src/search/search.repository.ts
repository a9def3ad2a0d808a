// Full-text course search on both engines: SQLite FTS5 (bm25) and PostgreSQL tsvector (ts_rank).
// One set of conditions, each tagged with its facet dimension, so that a facet's counts ignore the
// filter on that same dimension (picking "fr" still shows how many "en" courses there are).
import { sql, type RawBuilder } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import type { CourseScope } from './search.visibility.js';
import { scopeCondition } from './search.scope.repository.js';
import { fts5Match, tsQuery } from './search.text.js';
import type { CourseSummaryRow } from './search.mapping.js';

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

export type SearchHitRow = CourseSummaryRow & { rank: number | null };

export type FacetCount = { value: string; count: number };
export type SearchRows = {
  total: number;
  /** The total and facet counts cover only the first FACET_CAP matches: lower bounds. */
  approximate: boolean;
  hits: SearchHitRow[];
  facets: Record<FacetName, FacetCount[]>;
};

type Condition = { dim: FacetName | null; expr: RawBuilder<unknown> };
const FACET_LIMIT = 50;

export type SearchOptions = {
  /** Subject facet counts (the costliest facet); the other three come with the total. */
  facets?: boolean;
  /** Count the total and facets over at most this many matches (see FACET_CAP). */
  facetCap?: number;
  /** Rank at most this many text matches before falling back to ranking them all. */
  rankWindow?: number;
};

/**
 * Very broad matches (a prefix such as "manag", browsing 100,000 courses) are counted over their
 * first FACET_CAP visible matches only: the total and the facet counts are then lower bounds, and
 * the result says so (`approximate`), the way a catalogue shows "1,000+". Ranking stays exact.
 */
export const FACET_CAP = 1000;
/**
 * Ranked results are taken from the best RANK_WINDOW text matches (the text index scores every
 * match, cheaply); filters, visibility and the archived flag are then checked on those alone.
 * When that window cannot prove the page exact, the query runs again over every match.
 */
export const RANK_WINDOW = 500;

export async function searchCourses(
  db: Db,
  engine: Engine,
  scope: CourseScope,
  filters: SearchFilters,
  page: { limit: number; offset: number },
  options: SearchOptions = {},
): Promise<SearchRows> {
  if (engine === 'sqlite') return searchIn(db, engine, scope, filters, page, options);
  // PostgreSQL, for these queries only (SET LOCAL, gone at COMMIT): no JIT (compiling costs more
  // than the ~10 ms a query runs) and no parallel workers (on a shared server their start-up and
  // the gather cost more than they save on a capped scan). With words, random reads are priced as
  // cached pages, so matches are read through the GIN index instead of testing the tsvector of
  // every row (40 % less server CPU on the bench's broad words); browsing keeps the default, or its
  // capped counts walk the name index row by row instead of reading the table in order.
  const randomPageCost = tsQuery(filters.q) === undefined ? '4' : '1.1';
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
      set_config('random_page_cost', ${randomPageCost}, true)`.execute(trx);
    return searchIn(trx, engine, scope, filters, page, options);
  });
}

async function searchIn(
  db: Db,
  engine: Engine,
  scope: CourseScope,
  filters: SearchFilters,
  page: { limit: number; offset: number },
  options: SearchOptions,
): Promise<SearchRows> {
  const sqlite = engine === 'sqlite';
  const match = sqlite ? fts5Match(filters.q) : tsQuery(filters.q);
  // Caps are inlined (integers of ours), so the planner knows the capped sets are small.
  const cap = Math.trunc(options.facetCap ?? FACET_CAP);
  // Every condition reads the facts of a course (alias `c`, migration 006c): `course_facts` on
  // SQLite, reached from an FTS5 match by rowid; `course_search` on PostgreSQL, the tsvector's own
  // row. `courses` itself is read for the page's rows only. SQLite keeps the order of a CROSS JOIN:
  // without statistics (no ANALYZE yet) it would scan every unarchived course and probe the matches.
  const id = sqlite ? sql.ref('c.id') : sql.ref('c.course_id');
  const from =
    sqlite && match !== undefined
      ? sql`(SELECT rowid AS mid FROM courses_fts WHERE courses_fts MATCH ${match}) m CROSS JOIN course_facts c ON c.rid = m.mid`
      : sqlite
        ? sql`course_facts c`
        : sql`course_search c`;

  const conds: Condition[] = [{ dim: null, expr: sql`c.archived = 0` }];
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
      expr: sqlite
        ? sql`EXISTS (SELECT 1 FROM course_subjects cs WHERE cs.course_id = c.id AND cs.subject IN (${sql.join(filters.subject)}))`
        : sql`c.subjects && ARRAY[${sql.join(filters.subject)}]::text[]`,
    });
  if (filters.minDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes >= ${filters.minDuration}` });
  if (filters.maxDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes <= ${filters.maxDuration}` });

  // The text match after the column filters: when PostgreSQL scans the table rather than the GIN
  // index, it tests conditions of equal cost in the order written, so the cheap tests run first.
  if (!sqlite && match !== undefined)
    conds.push({ dim: null, expr: sql`c.tsv @@ to_tsquery('simple', ${match})` });
  // Visibility last: SQLite tests conditions in the order written, and the filters above are
  // cheaper and often narrower than the catalog probes.
  const visible = sql`${scopeCondition(scope, engine, id)}`;
  const where = (keep: (c: Condition) => boolean = () => true, withVisibility = true) =>
    sql.join([...conds.filter(keep).map((c) => c.expr), ...(withVisibility ? [visible] : [])], sql` AND `);
  const q = { db, id, from, where, visible, page, window: Math.trunc(options.rankWindow ?? RANK_WINDOW) };
  const hits =
    match === undefined
      ? await browsePage(q)
      : sqlite
        ? await rankedPageSqlite(q, match)
        : await rankedPagePostgres(q, match);

  // One capped pass over the matches, leaving out every facet filter, feeds all counts: the
  // language/content type/source combinations (of rows passing the subject filter) and the
  // subjects (of rows passing the other three). Each count is then summed here with the filters
  // that apply to it (a facet ignores its own filter). Visibility is checked once per row.
  const subjectCond = conds.find((c) => c.dim === 'subject')?.expr ?? sql`1 = 1`;
  const otherFacetConds = conds.filter((c) => c.dim !== null && c.dim !== 'subject').map((c) => c.expr);
  // SQLite probes course_subjects by primary key per row (a CROSS JOIN keeps that order; the planner
  // would otherwise scan all of it against the capped set); PostgreSQL unnests the facts' array.
  const subjectsOf = sqlite
    ? sql`CROSS JOIN course_subjects s ON s.course_id = c.id`
    : sql`CROSS JOIN LATERAL unnest(c.subjects) AS s(subject)`;
  const subjectRows =
    options.facets === false
      ? sql``
      : sql`UNION ALL
      SELECT 's', s.subject, NULL, NULL, count(*) FROM f c ${subjectsOf}
      WHERE ${otherFacetConds.length > 0 ? sql.join(otherFacetConds, sql` AND `) : sql`1 = 1`}
      GROUP BY s.subject`;
  const counted = await sql<{ k: string; a: string | null; b: string | null; d: string | null; n: number }>`
    WITH f AS (
      SELECT ${id} AS id, c.lang, c.content_type, c.source${sqlite ? sql`` : sql`, c.subjects`},
        CASE WHEN ${subjectCond} THEN 1 ELSE 0 END AS subject_ok
      FROM ${from} WHERE ${where((c) => c.dim === null)} LIMIT ${sql.lit(cap)})
    SELECT 'n' AS k, NULL AS a, NULL AS b, NULL AS d, count(*) AS n FROM f
    UNION ALL
    SELECT 'c', lang, content_type, source, count(*) FROM f WHERE subject_ok = 1
    GROUP BY lang, content_type, source
    ${subjectRows}`.execute(db);
  const passes = (row: Record<string, unknown>, except?: FacetName) =>
    (Object.entries(selected) as Array<[Exclude<FacetName, 'subject'>, string[]]>).every(
      ([dim, values]) => dim === except || values.includes(String(row[FIELD[dim]])),
    );
  let total = 0;
  let approximate = false;
  const counts: Record<FacetName, Map<string, number>> = {
    lang: new Map(),
    contentType: new Map(),
    source: new Map(),
    subject: new Map(),
  };
  for (const r of counted.rows) {
    const n = Number(r.n);
    if (r.k === 'n') approximate = n >= cap;
    else if (r.k === 's') counts.subject.set(String(r.a), n);
    else {
      const row = { lang: r.a, content_type: r.b, source: r.d };
      if (passes(row)) total += n;
      for (const dim of ['lang', 'contentType', 'source'] as const)
        if (passes(row, dim)) {
          const key = String(row[FIELD[dim]]);
          counts[dim].set(key, (counts[dim].get(key) ?? 0) + n);
        }
    }
  }
  // With a language, content type, source or subject filter, the capped pass may hold few rows that
  // pass it: count the filtered total on its own, capped likewise, so it is exact below the cap.
  if (approximate && (Object.keys(selected).length > 0 || filters.subject?.length)) {
    const filtered = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${from} WHERE ${where()}
      LIMIT ${sql.lit(cap)}) t`.execute(db);
    total = Number(filtered.rows[0]?.n ?? 0);
  }
  const facets: Record<FacetName, FacetCount[]> = {
    lang: top(counts.lang),
    contentType: top(counts.contentType),
    source: top(counts.source),
    subject: top(counts.subject),
  };
  return { total, approximate, hits, facets };
}

type PageQuery = {
  db: Db;
  /** The course id in the facts row `c`. */
  id: RawBuilder<unknown>;
  /** The facts rows `c` of the matching courses (all courses without words). */
  from: RawBuilder<unknown>;
  where: (keep?: (c: Condition) => boolean, withVisibility?: boolean) => RawBuilder<unknown>;
  visible: RawBuilder<unknown>;
  page: { limit: number; offset: number };
  window: number;
};

const COLS = sql`d.id, d.name, d.description, d.image, d.author, d.lang, d.subjects, d.content_type,
  d.duration_minutes, d.source`;

/** Without words: by name, walking the facts' (archived, name, id) index and stopping after the page. */
async function browsePage(q: PageQuery): Promise<SearchHitRow[]> {
  const { page, id } = q;
  const rows = await sql<SearchHitRow>`
    WITH p AS (SELECT ${id} AS pid, c.name AS pname FROM ${q.from} WHERE ${q.where()}
      ORDER BY c.name, ${id} LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT ${COLS}, NULL AS rank FROM p JOIN courses d ON d.id = p.pid ORDER BY p.pname, p.pid`.execute(q.db);
  return rows.rows;
}

/**
 * SQLite: FTS5 scores every match (bm25, cheap inside the index) and keeps the best `window`; only
 * those are looked up in the facts for filters and visibility. That page is exact when the window
 * held every match, or when the page is full and its last score is strictly better than the
 * window's worst (no match outside the window can come before it, ties included); otherwise the
 * query runs again over every match.
 */
async function rankedPageSqlite(q: PageQuery, match: string): Promise<SearchHitRow[]> {
  const { page } = q;
  const window = Math.max(q.window, 4 * (page.offset + page.limit));
  const run = (limited: boolean) =>
    sql<SearchHitRow & { edge: number | null; inwin: number }>`
    WITH m AS MATERIALIZED (SELECT rowid AS mid, bm25(courses_fts, 10.0, 1.0, 4.0, 2.0) AS score FROM courses_fts
        WHERE courses_fts MATCH ${match}${limited ? sql` ORDER BY score LIMIT ${sql.lit(window)}` : sql``}),
      p AS (SELECT c.rid, c.id AS pid, c.name AS pname, m.score AS rank FROM m CROSS JOIN course_facts c ON c.rid = m.mid
        WHERE ${q.where()} ORDER BY m.score, c.name, c.id LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT ${COLS}, p.rank, (SELECT max(score) FROM m) AS edge, (SELECT count(*) FROM m) AS inwin
    FROM p JOIN courses d ON d.rowid = p.rid ORDER BY p.rank, p.pname, p.pid`.execute(q.db);
  const rows = (await run(true)).rows;
  const last = rows[rows.length - 1];
  const wholeWindow = rows.length > 0 && Number(rows[0]!.inwin) < window;
  const fullPage = last !== undefined && rows.length === page.limit && Number(last.rank) < Number(last.edge);
  const exact = wholeWindow || fullPage ? rows : (await run(false)).rows;
  return exact.map(({ edge: _e, inwin: _i, ...r }) => r);
}

/**
 * PostgreSQL: the facts share the tsvector's row, so every filter but visibility is checked in the
 * index scan, and the window holds the best `window` filtered matches in the final order (score,
 * name, id). Visibility is then probed down that window until the page is filled: the page is exact
 * when it is full, or when the window held every filtered match; otherwise the query runs again
 * over every match.
 */
async function rankedPagePostgres(q: PageQuery, match: string): Promise<SearchHitRow[]> {
  const { page, id } = q;
  const window = Math.max(q.window, 4 * (page.offset + page.limit));
  const run = (limited: boolean) =>
    sql<SearchHitRow & { inwin: number }>`
    WITH p AS (
      SELECT c.course_id AS pid, c.name AS pname, c.score AS rank, c.inwin FROM (
        SELECT w.*, count(*) OVER () AS inwin FROM (
          SELECT ${id}, c.name, c.owner_group_id, c.integration_id, ts_rank(c.tsv, to_tsquery('simple', ${match})) AS score
          FROM ${q.from} WHERE ${q.where(undefined, false)}
          ORDER BY score DESC, c.name, ${id}${limited ? sql` LIMIT ${sql.lit(window)}` : sql``}) w) c
      WHERE ${q.visible} ORDER BY c.score DESC, c.name, c.course_id LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT ${COLS}, p.rank, p.inwin FROM p JOIN courses d ON d.id = p.pid ORDER BY p.rank DESC, p.pname, p.pid`.execute(
      q.db,
    );
  const rows = (await run(true)).rows;
  const wholeWindow = rows.length > 0 && Number(rows[0]!.inwin) < window;
  const exact = wholeWindow || rows.length === page.limit ? rows : (await run(false)).rows;
  return exact.map(({ inwin: _i, ...r }) => r);
}

const COLUMN = { lang: 'c.lang', contentType: 'c.content_type', source: 'c.source' } as const;
const FIELD = { lang: 'lang', contentType: 'content_type', source: 'source' } as const;

function top(counts: Map<string, number>): FacetCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, FACET_LIMIT);
}
