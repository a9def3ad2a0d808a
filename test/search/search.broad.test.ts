// Broad matches: past N visible matches the page is ranked among N candidates, name matches first
// (flagged `rankedAmong`), and counts stop at a cap (flagged `approximate`).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';
import { addCourse, addGroup, addMember, addToCatalog, addUser } from '../helpers/courses-at-work.js';
import { search } from '../../src/search/search.service.js';

forEachEngine('search over broad matches', (engine) => {
  let t: TestContext;
  let learner = '';
  before(async () => {
    t = await createTestContext(engine);
    const db = t.ctx.db;
    learner = await addUser(db, 'Learner');
    const root = await addGroup(db, 'Platform');
    await addMember(db, root, learner, 'learner');
    const langs = ['en', 'fr', 'de'];
    for (let i = 0; i < 36; i++) {
      // Varied and tied scores: the word in the name or not, repeated 0–3 times, identical pairs.
      const k = Math.floor(i / 2) % 4;
      const id = await addCourse(db, {
        name: i % 3 === 0 ? `Spreadsheet basics ${Math.floor(i / 2)}` : `Excel course ${Math.floor(i / 2)}`,
        description: `<p>${'excel '.repeat(k)}formulas and charts ${i % 2 === 0 ? 'pivot' : ''}</p>`,
        subjects: [i % 4 === 0 ? 'Data' : 'Business Skills'],
        lang: langs[i % 3]!,
        archived: i % 11 === 5,
      });
      if (i % 7 !== 3) await addToCatalog(db, root, id);
    }
  });
  after(() => t.close());

  const viewer = () => ({ userId: learner, isPlatformAdmin: false });
  const page = (r: Awaited<ReturnType<typeof search>>) => r.items.map((i) => `${i.id}:${i.score}`);

  // Every item of a query, page after page, as id:score.
  const walk = async (q: { q: string; lang?: string[] }, pageSize: number, rankCandidates?: number) => {
    const items: Array<{ id: string; name: string; score: number | null }> = [];
    for (let p = 1; p < 100; p++) {
      const r = await search(
        t.ctx,
        viewer(),
        { ...q, page: p, pageSize },
        rankCandidates ? { rankCandidates } : {},
      );
      if (r.items.length === 0) break;
      items.push(...r.items);
    }
    return items;
  };
  const inName = (i: { name: string }) => /excel/i.test(i.name);

  it('ranks every match by score when they all fit in the candidates', async () => {
    const queries = [{ q: 'excel' }, { q: 'exc' }, { q: 'excel', lang: ['fr'] }, { q: 'spreadsheet excel' }];
    for (const q of queries) {
      const all = await search(t.ctx, viewer(), { ...q, pageSize: 100 });
      assert.equal(all.rankedAmong, null);
      assert.ok(all.items.length > 0, JSON.stringify(q));
      // Score (higher first), then name, then id: the exact order.
      const expected = [...all.items].sort(
        (a, b) => b.score! - a.score! || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1),
      );
      assert.deepEqual(page(all), page({ ...all, items: expected }), JSON.stringify(q));
      // Pages of any size cut that same order; exactly as many candidates as matches is still exact.
      for (const size of [2, 3]) {
        const paged = await walk(q, size);
        assert.deepEqual(
          paged.map((i) => `${i.id}:${i.score}`),
          page(all),
        );
      }
      const justEnough = await search(
        t.ctx,
        viewer(),
        { ...q, pageSize: 100 },
        { rankCandidates: all.total },
      );
      assert.equal(justEnough.rankedAmong, null);
      assert.deepEqual(page(justEnough), page(all));
    }
    const first = await search(t.ctx, viewer(), { q: 'excel', pageSize: 100 });
    assert.ok(first.items.length > 10);
    assert.equal(first.approximate, false);
  });

  it('past N matches, ranks the best N candidates, name matches first, and pages consistently', async () => {
    const exact = await search(t.ctx, viewer(), { q: 'excel', pageSize: 100 });
    const names = exact.items.filter(inName).length;
    const others = exact.items.length - names;
    assert.ok(names > 6 && others > 3, `${names} name matches, ${others} others`);
    for (const n of [5, names + 2]) {
      const first = await search(t.ctx, viewer(), { q: 'excel', pageSize: 3 }, { rankCandidates: n });
      assert.equal(first.rankedAmong, n);
      assert.equal(first.total, exact.total);
      for (const size of [2, 3, 7]) {
        const items = await walk({ q: 'excel' }, size, n);
        // No course repeated or skipped, whatever the page size.
        assert.equal(new Set(items.map((i) => i.id)).size, items.length);
        assert.deepEqual(items.map((i) => i.id).sort(), exact.items.map((i) => i.id).sort());
        // A course with the word in its name always comes before one with it in its description only.
        const lastInName = items.map(inName).lastIndexOf(true);
        assert.equal(lastInName, names - 1, `n=${n} size=${size}`);
        // The first N are ranked by score among themselves; the same positions on every page size.
        const ranked = items.slice(0, n);
        for (let i = 1; i < ranked.length; i++)
          if (inName(ranked[i]!) === inName(ranked[i - 1]!))
            assert.ok(ranked[i]!.score! <= ranked[i - 1]!.score!);
        assert.deepEqual(
          items.map((i) => i.id),
          (await walk({ q: 'excel' }, 3, n)).map((i) => i.id),
        );
        // Scores are the same as in an exact ranking, wherever the course lands.
        const exactScore = new Map(exact.items.map((i) => [i.id, i.score]));
        for (const i of items) assert.equal(i.score, exactScore.get(i.id));
      }
    }
    // Candidates past the name matches: the ranked part holds every name match, then the best of the first others.
    const spill = await walk({ q: 'excel' }, 4, names + 2);
    assert.ok(spill.slice(0, names).every(inName));
    assert.ok(!inName(spill[names]!) && !inName(spill[names + 1]!));
    assert.ok(spill[names]!.score! >= spill[names + 1]!.score!);
  });

  it('caps counts on broad matches and says they are lower bounds', async () => {
    const exact = await search(t.ctx, viewer(), { q: 'excel' });
    const capped = await search(t.ctx, viewer(), { q: 'excel' }, { facetCap: 5 });
    assert.equal(exact.approximate, false);
    assert.equal(capped.approximate, true);
    assert.equal(capped.total, 5);
    assert.ok(exact.total > 5);
    const sum = (r: typeof capped, f: 'lang' | 'subject') => r.facets[f].reduce((n, v) => n + v.count, 0);
    assert.equal(sum(capped, 'lang'), 5);
    assert.equal(sum(exact, 'lang'), exact.total);
    assert.ok(sum(capped, 'subject') <= sum(exact, 'subject'));
    // The items themselves do not depend on the cap.
    assert.deepEqual(page(capped), page(exact));
    // Under the cap nothing is approximate, filters included.
    const fr = await search(t.ctx, viewer(), { q: 'excel', lang: ['fr'] }, { facetCap: 1000 });
    assert.equal(fr.approximate, false);
    assert.equal(fr.total, exact.facets.lang.find((v) => v.value === 'fr')?.count);
    const browse = await search(t.ctx, viewer(), {}, { facetCap: 3 });
    assert.equal(browse.approximate, true);
    assert.equal(browse.items.length, 20);
  });
});
