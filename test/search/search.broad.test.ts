// Broad matches: the page is ranked from a window of the best matches (falling back to every
// match when the window cannot prove it), and counts stop at a cap (flagged `approximate`).
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

  it('ranks a page from a small window exactly as from every match', async () => {
    const queries = [{ q: 'excel' }, { q: 'exc' }, { q: 'excel', lang: ['fr'] }, { q: 'spreadsheet excel' }];
    for (const q of queries)
      for (const p of [1, 2, 3, 7]) {
        const input = { ...q, page: p, pageSize: 2 };
        const small = await search(t.ctx, viewer(), input, { rankWindow: 1 });
        const whole = await search(t.ctx, viewer(), input, { rankWindow: 10_000 });
        assert.deepEqual(page(small), page(whole), JSON.stringify(input));
        assert.equal(small.total, whole.total);
      }
    const first = await search(t.ctx, viewer(), { q: 'excel', pageSize: 100 });
    assert.ok(first.items.length > 10);
    assert.equal(first.approximate, false);
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
