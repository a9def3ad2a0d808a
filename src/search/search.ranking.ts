// The ranked page of a search with words, on both engines, from a bounded candidate set.
//
// Scoring a match (bm25 on SQLite, ts_rank on PostgreSQL) costs far more than finding it: an exact
// top 20 of a broad query ("manag": 46,000 matches of 100,000) needs every match scored, 25–55 ms.
// So the matches are first listed in candidate order, which costs little on both engines:
//   tier 0: every word of the query in the course name (the heaviest-weighted field of the score),
//   tier 1: the other matches (words in the subjects, author or description),
// and within a tier in the text index's own order (SQLite: the FTS5 rowid; PostgreSQL: the search
// table's storage order, as its bitmap and sequential scans return rows). Filters and visibility
// are checked on the way, so the list holds only what the caller may see.
//  - When all the visible, filtered matches fit in `candidates` (N), they are all scored and the
//    page is ranked exactly: by score, then name, then id.
//  - Otherwise the first N of that list are the candidates: ranked by tier, then score, name and
//    id, they make the first N positions; the matches after them follow in candidate order. A
//    course with the words in its name therefore always comes before one without, and consecutive
//    pages never repeat or skip a course (positions are a function of the query and the data).
//    The result says so (`rankedAmong`: N).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/db.js';
import type { SearchHitRow } from './search.repository.js';

export type RankedPageQuery = {
  db: Db;
  /** Every condition but the text match: archived, filters and visibility, on the facts row `c`. */
  where: RawBuilder<unknown>;
  page: { limit: number; offset: number };
  /** How many matches at most are scored (N). */
  candidates: number;
  /**
   * False when the caller knows that every visible match fits in N (the capped count found fewer):
   * the matches are then listed and scored in one pass, with no tiers (they would not change the order).
   */
  tiered: boolean;
  /**
   * With no facet filter, the facet counts are taken over the first `facetCap` listed matches (in
   * candidate order) in the same statement, instead of a pass of their own (search.repository.ts).
   */
  facetCap?: number | undefined;
};

/** Facet counts over the first `facetCap` listed matches: [lang, content type, source, n] and [subject, n]. */
export type ListedFacets = {
  combos: Array<[string, string, string, number]>;
  subjects: Array<[string, number]>;
};

export type RankedPage = {
  hits: SearchHitRow[];
  /** Visible, filtered matches listed, at most `listed`: exact below it. */
  matched: number;
  /** The most that `matched` could be (the list stops there). */
  listed: number;
  /** Null when the page was ranked over every match; N when among the first N candidates. */
  rankedAmong: number | null;
  facets?: ListedFacets;
};

const COLS = sql`d.id, d.name, d.description, d.image, d.author, d.lang, d.subjects, d.content_type,
  d.duration_minutes, d.source`;

type Plan = {
  n: number;
  /** Rows listed in candidate order: N + 1 (to tell whether every match fits) or the page's end. */
  listed: number;
  /** Positions [rankedFrom, rankedFrom + rankedCount) of the ranked candidates. */
  rankedFrom: number;
  rankedCount: number;
  /** Positions after N, in candidate order. */
  restFrom: number;
  restCount: number;
};

function plan(page: { limit: number; offset: number }, candidates: number, facetCap = 0): Plan {
  const n = Math.max(1, Math.trunc(candidates));
  const end = page.offset + page.limit;
  const cap = Math.trunc(facetCap);
  const rankedFrom = Math.min(page.offset, n);
  const restFrom = Math.max(page.offset, n);
  return {
    n,
    listed: Math.max(n + 1, cap + 1, end),
    rankedFrom,
    rankedCount: Math.max(0, Math.min(end, n) - rankedFrom),
    restFrom: restFrom - n,
    restCount: Math.max(0, end - restFrom),
  };
}

// The page's rows with the number of listed matches (and the facet counts, as JSON) on each; one
// row of nulls when the page is empty.
type Row = SearchHitRow & { cnt: number; combos?: unknown; subjects_n?: unknown };

function finish(rows: Row[], p: Plan, withFacets: boolean): RankedPage {
  const matched = Number(rows[0]?.cnt ?? 0);
  const hits = rows.filter((r) => r.id !== null).map(({ cnt: _c, combos: _f, subjects_n: _s, ...r }) => r);
  // Every visible match was listed, so all were scored: the order is exact.
  const page: RankedPage = { hits, matched, listed: p.listed, rankedAmong: matched <= p.n ? null : p.n };
  if (withFacets) {
    const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v) ?? [];
    page.facets = {
      combos: json(rows[0]?.combos) as ListedFacets['combos'],
      subjects: json(rows[0]?.subjects_n) as ListedFacets['subjects'],
    };
  }
  return page;
}

/**
 * SQLite. FTS5 lists each tier in rowid order, stopping after the rows needed: tier 0 with the query
 * on the name column alone (`{name} : (…)`, read from the index's positions), tier 1 with the full
 * query less the tier-0 rows already listed (every tier-0 row that passes the filters is in the list
 * by the time tier 1 is read). bm25 must see the full query, so one more pass of it over the listed
 * rows' rowid range scores only them; `+rowid` keeps the IN test out of FTS5, which would run the
 * whole query once per value. Untiered, one pass lists and scores (bm25 only for the rows kept).
 */
export async function rankedPageSqlite(q: RankedPageQuery, match: string): Promise<RankedPage> {
  const p = plan(q.page, q.candidates, q.facetCap);
  const bm25 = sql`bm25(courses_fts, 10.0, 1.0, 4.0, 2.0)`;
  const branch = (expr: string, tier: number, scored: boolean, not: RawBuilder<unknown> = sql`1 = 1`) =>
    sql`SELECT * FROM (SELECT c.rid, c.id, c.name, c.lang, c.content_type, c.source, ${sql.lit(tier)} AS tier${scored ? sql`, ${bm25} AS score` : sql``}
      FROM courses_fts CROSS JOIN course_facts c ON c.rid = courses_fts.rowid
      WHERE courses_fts MATCH ${expr} AND ${not} AND ${q.where} ORDER BY courses_fts.rowid LIMIT ${sql.lit(p.listed)})`;
  const inName = `{name} : (${match})`;
  // Tiered, bm25 must see the full query, so the listed rows are scored by a second pass.
  const listedAndScored = q.tiered
    ? sql`t1 AS MATERIALIZED (${branch(inName, 0, false)}),
      u AS MATERIALIZED (SELECT * FROM (SELECT * FROM t1 UNION ALL ${branch(match, 1, false, sql`+c.rid NOT IN (SELECT rid FROM t1)`)})
        LIMIT ${sql.lit(p.listed)}),
      l AS MATERIALIZED (SELECT u.*, row_number() OVER () AS pos, count(*) OVER () AS cnt FROM u),
      s AS MATERIALIZED (SELECT f.rowid AS rid, ${bm25} AS score
        FROM courses_fts f WHERE courses_fts MATCH ${match}
        AND f.rowid BETWEEN (SELECT min(rid) FROM l) AND (SELECT max(rid) FROM l) AND +f.rowid IN (SELECT rid FROM l)),
      r AS MATERIALIZED (SELECT l.*, s.score FROM l JOIN s ON s.rid = l.rid)`
    : sql`u AS MATERIALIZED (${branch(match, 0, true)}),
      r AS MATERIALIZED (SELECT u.*, row_number() OVER () AS pos, count(*) OVER () AS cnt FROM u)`;
  const rows = await sql<Row>`
    WITH ${listedAndScored}, ${pageOf('r', p, 'ASC')}
    SELECT ${COLS}, page.score AS rank, k.*
    FROM (SELECT count(*) AS cnt${
      q.facetCap === undefined
        ? sql``
        : sql`,
        (SELECT json_group_array(json_array(lang, content_type, source, n)) FROM (SELECT lang, content_type, source,
          count(*) AS n FROM r WHERE pos <= ${sql.lit(q.facetCap)} GROUP BY lang, content_type, source)) AS combos,
        (SELECT json_group_array(json_array(subject, n)) FROM (SELECT s.subject, count(*) AS n
          FROM r CROSS JOIN course_subjects s ON s.course_id = r.id WHERE r.pos <= ${sql.lit(q.facetCap)}
          GROUP BY s.subject)) AS subjects_n`
    } FROM r) k
    LEFT JOIN page ON 1 = 1 LEFT JOIN courses d ON d.rowid = page.rid
    ORDER BY page.part, page.ord`.execute(q.db);
  return finish(rows.rows, p, q.facetCap !== undefined);
}

/**
 * The page's rows of the listed matches `rel` (pos, cnt, tier, score, name, id): its ranked
 * positions (the first N listed, by tier when more matched, then score, name, id; bm25 is better
 * low, ts_rank high), then positions past N in listing order. `part` and `ord` order the result.
 */
function pageOf(rel: 'r' | 'n', p: Plan, better: 'ASC' | 'DESC'): RawBuilder<unknown> {
  const r = sql.raw(rel);
  return sql`ranked AS (SELECT ${r}.*, 0 AS part, row_number() OVER (ORDER BY CASE WHEN ${r}.cnt > ${sql.lit(p.n)}
          THEN ${r}.tier ELSE 0 END, ${r}.score ${sql.raw(better)}, ${r}.name, ${r}.id) AS ord
        FROM ${r} WHERE ${r}.pos <= ${sql.lit(p.n)}),
      page AS (
        SELECT * FROM ranked WHERE ord > ${sql.lit(p.rankedFrom)} AND ord <= ${sql.lit(p.rankedFrom + p.rankedCount)}
        UNION ALL
        SELECT ${r}.*, 1, ${r}.pos FROM ${r}
        WHERE ${r}.pos > ${sql.lit(p.n + p.restFrom)} AND ${r}.pos <= ${sql.lit(p.n + p.restFrom + p.restCount)})`;
}

/**
 * PostgreSQL. Tier 0 reads the expression GIN index on the name (migration 009), tier 1 the text
 * index less the tier-0 rows listed; each is a bitmap (or sequential) scan, which returns rows in
 * storage order, and ts_rank is computed for the rows kept only. Sequential scans must not start
 * mid-table (synchronized scans), so the search transaction turns them off.
 */
export async function rankedPagePostgres(q: RankedPageQuery, match: string): Promise<RankedPage> {
  const p = plan(q.page, q.candidates, q.facetCap);
  const tsq = sql`to_tsquery('simple', ${match})`;
  const inName = sql`to_tsvector('simple', c.name) @@ ${tsq}`;
  const branch = (cond: RawBuilder<unknown>, tier: number) =>
    sql`(SELECT c.course_id AS id, c.name, c.lang, c.content_type, c.source, c.subjects, ${sql.lit(tier)} AS tier,
        ts_rank(c.tsv, ${tsq}) AS score
      FROM course_search c WHERE ${cond} AND ${q.where} LIMIT ${sql.lit(p.listed)})`;
  const listed = q.tiered
    ? sql`t1 AS MATERIALIZED ${branch(inName, 0)},
      u AS MATERIALIZED (SELECT * FROM (SELECT * FROM t1 UNION ALL
        ${branch(sql`c.tsv @@ ${tsq} AND c.course_id NOT IN (SELECT id FROM t1)`, 1)}) x LIMIT ${sql.lit(p.listed)})`
    : sql`u AS MATERIALIZED ${branch(sql`c.tsv @@ ${tsq}`, 0)}`;
  const rows = await sql<Row>`
    WITH ${listed},
      n AS MATERIALIZED (SELECT u.*, row_number() OVER () AS pos, count(*) OVER () AS cnt FROM u),
      ${pageOf('n', p, 'DESC')}
    SELECT ${COLS}, page.score AS rank, k.*
    FROM (SELECT count(*) AS cnt${
      q.facetCap === undefined
        ? sql``
        : sql`,
        (SELECT json_agg(json_build_array(lang, content_type, source, m)) FROM (SELECT lang, content_type, source,
          count(*) AS m FROM n WHERE pos <= ${sql.lit(q.facetCap)} GROUP BY lang, content_type, source) g) AS combos,
        (SELECT json_agg(json_build_array(subject, m)) FROM (SELECT s.subject, count(*) AS m
          FROM n CROSS JOIN LATERAL unnest(n.subjects) AS s(subject) WHERE n.pos <= ${sql.lit(q.facetCap)}
          GROUP BY s.subject) g) AS subjects_n`
    } FROM n) k
    LEFT JOIN page ON 1 = 1 LEFT JOIN courses d ON d.id = page.id
    ORDER BY page.part, page.ord`.execute(q.db);
  return finish(rows.rows, p, q.facetCap !== undefined);
}
