// Full-text course search on both engines: SQLite FTS5 (bm25) and PostgreSQL tsvector (ts_rank).
// One set of conditions, each tagged with its facet dimension, so that a facet's counts ignore the
// filter on that same dimension (picking "fr" still shows how many "en" courses there are).
import { sql, type RawBuilder } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import type { CourseScope } from './search.visibility.js';
import { scopeCondition } from './search.scope.repository.js';
import { fts5Match, tsQuery } from './search.text.js';
import type { CourseSummaryRow } from './search.mapping.js';
import { rankedPagePostgres, rankedPageSqlite, type RankedPage } from './search.ranking.js';

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
  /** Null when every match was ranked; N when the items were ranked among N candidates (search.ranking.ts). */
  rankedAmong: number | null;
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
  /** Score at most this many matches (see RANK_CANDIDATES). */
  rankCandidates?: number;
};

/**
 * Very broad matches (a prefix such as "manag", browsing 100,000 courses) are counted over their
 * first FACET_CAP visible matches only: the total and the facet counts are then lower bounds, and
 * the result says so (`approximate`), the way a catalogue shows "1,000+". "First": in the text
 * index's order, or for words without a facet filter in candidate order (search.ranking.ts).
 */
export const FACET_CAP = 1000;
/**
 * A query with words is ranked exactly when its visible, filtered matches are at most this many;
 * past that, among this many candidates, name matches first (search.ranking.ts), and the result
 * says so (`rankedAmong`). The same figure as FACET_CAP, so one list also gives the filtered total.
 */
export const RANK_CANDIDATES = 1000;

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
  // capped counts walk the name index row by row instead of reading the table in order. Also with
  // words, the ranked candidates are listed in storage order (search.ranking.ts): only bitmap and
  // sequential scans return rows in that order, so no plain index scans (a btree on the language
  // would give them by language), and no synchronized sequential scans (one may start mid-table).
  const words = tsQuery(filters.q) !== undefined;
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
      set_config('random_page_cost', ${words ? '1.1' : '4'}, true), set_config('synchronize_seqscans', 'off', true),
      set_config('enable_indexscan', ${words ? 'off' : 'on'}, true)`.execute(trx);
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

  // On PostgreSQL `archived` is tested as an expression, on the heap row: as a plain column test the
  // planner ANDs the text index's bitmap (or builds one alone, for a filtered total without words)
  // with a bitmap of the 97 % unarchived courses from the browse index, ~7–9 ms at 100,000 courses,
  // before a capped scan that needs neither. Browsing names the column itself, to walk that index.
  const conds: Condition[] = [{ dim: null, expr: sqlite ? sql`c.archived = 0` : sql`c.archived + 0 = 0` }];
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

  // Visibility last: SQLite tests conditions in the order written, and the filters above are
  // cheaper and often narrower than the catalog probes.
  const visible = sql`${scopeCondition(scope, engine, id)}`;
  // On PostgreSQL the facts row is the tsvector's row: the text match is one more condition (after
  // the column filters: scanning the table rather than the GIN index, PostgreSQL tests conditions
  // of equal cost in the order written, so the cheap tests run first). The ranked page adds its own.
  const textCond = !sqlite && match !== undefined ? [sql`c.tsv @@ to_tsquery('simple', ${match})`] : [];
  const where = (keep: (c: Condition) => boolean = () => true, withText = true) =>
    sql.join([...conds.filter(keep).map((c) => c.expr), ...(withText ? textCond : []), visible], sql` AND `);
  // Browsing walks the (archived, name, id) index: `archived` as a plain column test.
  const browseWhere = () =>
    sql.join([sql`c.archived = 0`, ...conds.slice(1).map((c) => c.expr), visible], sql` AND `);
  const dimFiltered = Object.keys(selected).length > 0 || conds.some((c) => c.dim === 'subject');
  const candidates = Math.trunc(options.rankCandidates ?? RANK_CANDIDATES);
  const rank = (tiered: boolean, facetCap?: number) => {
    const q = { db, where: where(undefined, false), page, candidates, tiered, facetCap };
    return sqlite ? rankedPageSqlite(q, match!) : rankedPagePostgres(q, match!);
  };
  let total = 0;
  let approximate = false;
  let hits: SearchHitRow[] = [];
  let ranked: RankedPage | undefined;
  const counts: Record<FacetName, Map<string, number>> = {
    lang: new Map(),
    contentType: new Map(),
    source: new Map(),
    subject: new Map(),
  };
  const passes = (row: Record<string, unknown>, except?: FacetName) =>
    (Object.entries(selected) as Array<[Exclude<FacetName, 'subject'>, string[]]>).every(
      ([dim, values]) => dim === except || values.includes(String(row[FIELD[dim]])),
    );
  // Adds one language/content type/source combination (of rows passing the subject filter) to the
  // total and to the facets whose filters it passes (a facet ignores its own filter).
  const addCombo = (lang: unknown, contentType: unknown, source: unknown, n: number) => {
    const row = { lang, content_type: contentType, source };
    if (passes(row)) total += n;
    for (const dim of ['lang', 'contentType', 'source'] as const)
      if (passes(row, dim)) {
        const key = String(row[FIELD[dim]]);
        counts[dim].set(key, (counts[dim].get(key) ?? 0) + n);
      }
  };

  if (match !== undefined && !dimFiltered) {
    // Words and no facet filter: the ranked page's list of candidates is what the facets count (its
    // first `cap` rows, in candidate order), in the same statement.
    ranked = await rank(true, cap);
    hits = ranked.hits;
    approximate = ranked.matched >= cap;
    for (const [lang, contentType, source, n] of ranked.facets?.combos ?? [])
      addCombo(lang, contentType, source, Number(n));
    total = Math.min(ranked.matched, cap);
    if (options.facets !== false)
      for (const [subject, n] of ranked.facets?.subjects ?? [])
        counts.subject.set(String(subject), Number(n));
  } else {
    // One capped pass over the matches, leaving out every facet filter, feeds all counts: the
    // language/content type/source combinations (of rows passing the subject filter) and the
    // subjects (of rows passing the other three), summed above with the filters that apply to each.
    // Visibility is checked once per row.
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
    let visibleMatches = 0;
    for (const r of counted.rows) {
      const n = Number(r.n);
      if (r.k === 'n') visibleMatches = n;
      else if (r.k === 's') counts.subject.set(String(r.a), n);
      else addCombo(r.a, r.b, r.d, n);
    }
    approximate = visibleMatches >= cap;
    if (match === undefined) hits = await browsePage({ db, id, from, where: browseWhere, page });
    else {
      // Fewer visible matches than the cap and than N (the filters only narrow them): one pass, no
      // tiers, ranks them all.
      ranked = await rank(approximate || visibleMatches > candidates);
      hits = ranked.hits;
    }
    // With a facet filter, the capped pass may hold few rows that pass it: the filtered total is
    // counted on its own, capped likewise, so it is exact below the cap. With words, the ranked page
    // listed those matches already (up to N + 1 of them).
    if (approximate && ranked && (ranked.matched < ranked.listed || ranked.matched >= cap))
      total = Math.min(ranked.matched, cap);
    else if (approximate && dimFiltered) {
      const filtered = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${from} WHERE ${where()}
      LIMIT ${sql.lit(cap)}) t`.execute(db);
      total = Number(filtered.rows[0]?.n ?? 0);
    }
  }
  const facets: Record<FacetName, FacetCount[]> = {
    lang: top(counts.lang),
    contentType: top(counts.contentType),
    source: top(counts.source),
    subject: top(counts.subject),
  };
  return { total, approximate, rankedAmong: ranked?.rankedAmong ?? null, hits, facets };
}

type BrowseQuery = {
  db: Db;
  /** The course id in the facts row `c`. */
  id: RawBuilder<unknown>;
  /** The facts rows `c` of every course. */
  from: RawBuilder<unknown>;
  where: () => RawBuilder<unknown>;
  page: { limit: number; offset: number };
};

const COLS = sql`d.id, d.name, d.description, d.image, d.author, d.lang, d.subjects, d.content_type,
  d.duration_minutes, d.source`;

/** Without words: by name, walking the facts' (archived, name, id) index and stopping after the page. */
async function browsePage(q: BrowseQuery): Promise<SearchHitRow[]> {
  const { page, id } = q;
  const rows = await sql<SearchHitRow>`
    WITH p AS (SELECT ${id} AS pid, c.name AS pname FROM ${q.from} WHERE ${q.where()}
      ORDER BY c.name, ${id} LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT ${COLS}, NULL AS rank FROM p JOIN courses d ON d.id = p.pid ORDER BY p.pname, p.pid`.execute(q.db);
  return rows.rows;
}

const COLUMN = { lang: 'c.lang', contentType: 'c.content_type', source: 'c.source' } as const;
const FIELD = { lang: 'lang', contentType: 'content_type', source: 'source' } as const;

function top(counts: Map<string, number>): FacetCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, FACET_LIMIT);
}
