// Course search for one caller: what they may see (search.visibility.ts), never archived courses,
// ranked by relevance when there is a query, by name otherwise.
import type { AppContext } from '../context.js';
import { loadScope, type Viewer } from './search.scope.repository.js';
import {
  searchCourses,
  type FacetCount,
  type FacetName,
  type SearchFilters,
  type SearchOptions,
} from './search.repository.js';
import { toCourseSummary, type CourseSummary } from './search.mapping.js';

export type SearchInput = SearchFilters & { page?: number | undefined; pageSize?: number | undefined };

export type SearchResult = {
  total: number;
  /** True when `total` and the facet counts were counted over the first FACET_CAP matches only. */
  approximate: boolean;
  /** Null when every match was ranked; N when the items were ranked among N candidates. */
  rankedAmong: number | null;
  page: number;
  pageSize: number;
  items: Array<CourseSummary & { score: number | null }>;
  facets: Record<FacetName, FacetCount[]>;
};

export const MAX_PAGE_SIZE = 100;

export async function search(
  ctx: AppContext,
  viewer: Viewer,
  input: SearchInput,
  options: Omit<SearchOptions, 'facets'> = {},
): Promise<SearchResult> {
  const page = Math.max(1, input.page ?? 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, input.pageSize ?? 20));
  const scope = await loadScope(ctx.db, viewer);
  const rows = await searchCourses(
    ctx.db,
    ctx.engine,
    scope,
    input,
    {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    },
    options,
  );
  return {
    total: rows.total,
    approximate: rows.approximate,
    rankedAmong: rows.rankedAmong,
    page,
    pageSize,
    // bm25 is "lower is better" and negative; ts_rank "higher is better": expose one direction.
    items: rows.hits.map((h) => ({
      ...toCourseSummary(h),
      score: h.rank === null ? null : Math.abs(Number(h.rank)),
    })),
    facets: rows.facets,
  };
}
