// Full-text course search on both engines: SQLite FTS5 (bm25) and PostgreSQL tsvector (ts_rank).
// One set of conditions, each tagged with its facet dimension, so that a facet's counts ignore the
// filter on that same dimension (picking "fr" still shows how many "en" courses there are).
import { sql, type RawBuilder } from 'kysely';
import type { Db, Engine } from '../db/db.js';
import type { CourseScope } from './search.visibility.js';
import { probeOnly, scopeCondition } from './search.scope.repository.js';
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
  const match = engine === 'sqlite' ? fts5Match(filters.q) : tsQuery(filters.q);
  // Caps are inlined (integers of ours), so the planner knows the capped sets are small.
  const cap = Math.trunc(options.facetCap ?? FACET_CAP);
  // Matching courses as a derived table `m(mid[, score])`, joined first so the text index drives.
  // Counting and faceting need no score, so they get the cheaper form. With `window`, only the
  // best `window` matches by score.
  const matches = (withRank: boolean, window?: number): RawBuilder<unknown> => {
    // ts_rank has many ties (it ignores length), so PostgreSQL keeps every match tied with the
    // last one of the window: then a full page from the window is exact whatever its last score.
    const top =
      window === undefined
        ? sql``
        : engine === 'sqlite'
          ? sql` ORDER BY score ASC LIMIT ${sql.lit(window)}`
          : sql` ORDER BY score DESC FETCH FIRST ${sql.lit(window)} ROWS WITH TIES`;
    if (engine === 'sqlite') {
      const rank = withRank ? sql`, bm25(courses_fts, 10.0, 1.0, 4.0, 2.0) AS score` : sql``;
      return sql`SELECT rowid AS mid${rank} FROM courses_fts WHERE courses_fts MATCH ${match}${top}`;
    }
    const rank = withRank ? sql`, ts_rank(tsv, to_tsquery('simple', ${match})) AS score` : sql``;
    return sql`SELECT course_id AS mid${rank} FROM course_search WHERE tsv @@ to_tsquery('simple', ${match})${top}`;
  };
  const joinCourse = engine === 'sqlite' ? sql`c.rowid = m.mid` : sql`c.id = m.mid`;
  const matchedFrom = (withRank: boolean) =>
    match === undefined ? sql`courses c` : sql`(${matches(withRank)}) m JOIN courses c ON ${joinCourse}`;

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
      expr: sql`EXISTS (SELECT 1 FROM course_subjects cs WHERE cs.course_id = c.id AND cs.subject IN (${sql.join(filters.subject)})${probeOnly(engine)})`,
    });
  if (filters.minDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes >= ${filters.minDuration}` });
  if (filters.maxDuration !== undefined)
    conds.push({ dim: null, expr: sql`c.duration_minutes <= ${filters.maxDuration}` });

  // Visibility last: SQLite tests conditions in the order written, and the filters above are
  // cheaper and often narrower than the catalog probes.
  conds.push({ dim: null, expr: sql`${scopeCondition(scope, engine)}` });

  const where = (keep: (c: Condition) => boolean = () => true) =>
    sql.join(
      conds.filter(keep).map((c) => c.expr),
      sql` AND `,
    );
  const hits = await pageOfHits(db, engine, {
    ranked: match !== undefined,
    matches,
    joinCourse,
    from: matchedFrom,
    where: where(),
    page,
    window: options.rankWindow ?? RANK_WINDOW,
  });

  // One capped pass over the matches, leaving out every facet filter, feeds all counts: the
  // language/content type/source combinations (of rows passing the subject filter) and the
  // subjects (of rows passing the other three). Each count is then summed here with the filters
  // that apply to it (a facet ignores its own filter). Visibility is checked once per row.
  const subjectCond = conds.find((c) => c.dim === 'subject')?.expr ?? sql`1 = 1`;
  const otherFacetConds = conds.filter((c) => c.dim !== null && c.dim !== 'subject').map((c) => c.expr);
  // Both planners misjudge the capped set and scan all of course_subjects against it; each id
  // should probe the primary key instead. SQLite keeps the order of a CROSS JOIN; on PostgreSQL
  // OFFSET 0 keeps the lateral subquery from being flattened into a hash join.
  const subjectsOf =
    engine === 'sqlite'
      ? sql`CROSS JOIN course_subjects s ON s.course_id = c.id`
      : sql`CROSS JOIN LATERAL (SELECT cs.subject FROM course_subjects cs WHERE cs.course_id = c.id OFFSET 0) s`;
  const subjectRows =
    options.facets === false
      ? sql``
      : sql`UNION ALL
      SELECT 's', s.subject, NULL, NULL, count(*) FROM f c ${subjectsOf}
      WHERE ${otherFacetConds.length > 0 ? sql.join(otherFacetConds, sql` AND `) : sql`1 = 1`}
      GROUP BY s.subject`;
  const counted = await sql<{ k: string; a: string | null; b: string | null; d: string | null; n: number }>`
    WITH f AS (
      SELECT c.id, c.lang, c.content_type, c.source, CASE WHEN ${subjectCond} THEN 1 ELSE 0 END AS subject_ok
      FROM ${matchedFrom(false)} WHERE ${where((c) => c.dim === null)} LIMIT ${sql.lit(cap)})
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
  // With a language, content type or source filter, the capped pass may hold few rows that pass
  // it: count the filtered total on its own, capped likewise, so it is exact below the cap.
  if (approximate && (Object.keys(selected).length > 0 || filters.subject?.length)) {
    const filtered = await sql<{ n: number }>`
      SELECT count(*) AS n FROM (SELECT 1 AS one FROM ${matchedFrom(false)} WHERE ${where()}
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

/**
 * One page of results. With words, first from the best `rankWindow` text matches: that page is
 * exact when the window held every match, or when the page is full and its last score is strictly
 * better than the window's worst (no match outside the window can come before it, ties included).
 */
async function pageOfHits(
  db: Db,
  engine: Engine,
  q: {
    ranked: boolean;
    matches: (withRank: boolean, window?: number) => RawBuilder<unknown>;
    joinCourse: RawBuilder<unknown>;
    from: (withRank: boolean) => RawBuilder<unknown>;
    where: RawBuilder<unknown>;
    page: { limit: number; offset: number };
    window: number;
  },
): Promise<SearchHitRow[]> {
  const { page, where } = q;
  const cols = sql`c.id, c.name, c.description, c.image, c.author, c.lang, c.subjects, c.content_type,
           c.duration_minutes, c.source`;
  if (!q.ranked) {
    const rows = await sql<SearchHitRow>`
      SELECT ${cols}, NULL AS rank FROM ${q.from(false)} WHERE ${where}
      ORDER BY c.name, c.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
    return rows.rows;
  }
  const sqlite = engine === 'sqlite';
  const order = sql`m.score ${sqlite ? sql`ASC` : sql`DESC`}, c.name, c.id`;
  const window = Math.trunc(Math.max(q.window, 4 * (page.offset + page.limit)));
  const windowed = await sql<SearchHitRow & { edge: number | null; inwin: number }>`
    WITH m AS (${q.matches(true, window)})
    SELECT ${cols}, m.score AS rank,
      (SELECT ${sqlite ? sql`max` : sql`min`}(score) FROM m) AS edge, (SELECT count(*) FROM m) AS inwin
    FROM m JOIN courses c ON ${q.joinCourse} WHERE ${where}
    ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  const rows = windowed.rows;
  const last = rows[rows.length - 1];
  const wholeWindow = rows.length > 0 && Number(rows[0]!.inwin) < window;
  // (With ties, PostgreSQL's window may hold more than `window` rows; it then also holds every
  // match at least as good as its last one, which is all `fullPage` needs.)
  const fullPage =
    last !== undefined &&
    rows.length === page.limit &&
    (sqlite ? Number(last.rank) < Number(last.edge) : true);
  if (wholeWindow || fullPage) return rows.map(({ edge: _e, inwin: _i, ...r }) => r);
  const all = await sql<SearchHitRow>`
    SELECT ${cols}, m.score AS rank FROM ${q.from(true)} WHERE ${where}
    ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return all.rows;
}

const COLUMN = { lang: 'c.lang', contentType: 'c.content_type', source: 'c.source' } as const;
const FIELD = { lang: 'lang', contentType: 'content_type', source: 'source' } as const;

function top(counts: Map<string, number>): FacetCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, FACET_LIMIT);
}
