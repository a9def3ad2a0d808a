import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, forEachEngine, type TestContext } from '../helpers/engines.js';
import {
  addCourse,
  addGroup,
  addMember,
  addToCatalog,
  addToLibrary,
  addUser,
  archiveCourse,
} from '../helpers/courses-at-work.js';
import { search } from '../../src/search/search.service.js';
import { fts5Match, stripHtml, tsQuery } from '../../src/search/search.text.js';

describe('search text helpers', () => {
  it('strips tags and decodes entities', () => {
    assert.equal(
      stripHtml('<p>Fire &amp; <b>safety</b>&nbsp;basics</p><script>x()</script>'),
      'Fire & safety basics',
    );
    assert.equal(stripHtml(null), '');
  });
  it('makes the last word a prefix unless the query ends with a space', () => {
    assert.equal(fts5Match('Excel piv'), '"excel" AND "piv"*');
    assert.equal(fts5Match('excel '), '"excel"');
    assert.equal(tsQuery('Excel piv'), "'excel' & 'piv':*");
    assert.equal(fts5Match('"; DROP TABLE --'), '"drop" AND "table"*');
    assert.equal(fts5Match('  '), undefined);
  });
});

forEachEngine('search', (engine) => {
  let t: TestContext;
  const ids: Record<string, string> = {};
  before(async () => {
    t = await createTestContext(engine);
    const db = t.ctx.db;
    ids.admin = await addUser(db, 'Admin', { admin: true });
    ids.learner = await addUser(db, 'Learner');
    ids.author = await addUser(db, 'Author');
    ids.outsider = await addUser(db, 'Outsider');
    ids.root = await addGroup(db, 'Platform');
    ids.team = await addGroup(db, 'Team', { parentId: ids.root });
    ids.secret = await addGroup(db, 'Secret', { parentId: ids.root, isPublic: false });
    await addMember(db, ids.team, ids.learner, 'learner');
    await addMember(db, ids.team, ids.author, 'author');
    await addMember(db, ids.secret, ids.outsider, 'learner');
    ids.titleHit = await addCourse(db, {
      name: 'Negotiation skills',
      description: '<p>Close deals.</p>',
      subjects: ['Sales'],
      author: 'Skillsoft',
      lang: 'en',
      durationMinutes: 30,
    });
    ids.descHit = await addCourse(db, {
      name: 'Sales conversations',
      description: '<p>Learn <strong>negotiation</strong> in practice.</p>',
      subjects: ['Sales', 'Communication'],
      author: 'Udemy',
      lang: 'fr',
      contentType: 'video',
      durationMinutes: 90,
    });
    ids.archived = await addCourse(db, { name: 'Negotiation (old)', subjects: ['Sales'], archived: true });
    ids.secretCourse = await addCourse(db, { name: 'Secret negotiation', source: 'native' });
    ids.libraryOnly = await addCourse(db, { name: 'Negotiation for authors', lang: 'de' });
    for (const c of [ids.titleHit, ids.descHit, ids.archived]) await addToCatalog(db, ids.root!, c!);
    await addToCatalog(db, ids.secret!, ids.secretCourse!);
    await addToLibrary(db, ids.team!, ids.libraryOnly!);
  });
  after(() => t.close());

  const as = (who: string, isPlatformAdmin = false) => ({ userId: ids[who]!, isPlatformAdmin });

  it('ranks a title match above a description match and leaves archived courses out', async () => {
    const r = await search(t.ctx, as('learner'), { q: 'negotiation' });
    assert.deepEqual(
      r.items.map((i) => i.id),
      [ids.titleHit, ids.descHit],
    );
    assert.ok(r.items[0]!.score! > 0);
    assert.equal(r.total, 2);
  });

  it('matches the last word as a prefix, HTML never matches', async () => {
    const r = await search(t.ctx, as('learner'), { q: 'negoti' });
    assert.equal(r.total, 2);
    assert.equal((await search(t.ctx, as('learner'), { q: 'strong' })).total, 0);
    assert.equal((await search(t.ctx, as('learner'), { q: 'skillsoft' })).items[0]?.id, ids.titleHit);
    assert.equal((await search(t.ctx, as('learner'), { q: 'communication' })).items[0]?.id, ids.descHit);
  });

  it('shows each caller only what they may see', async () => {
    const names = async (who: string, admin = false) =>
      (await search(t.ctx, as(who, admin), { q: 'negotiation' })).items.map((i) => i.id).sort();
    assert.deepEqual(await names('author'), [ids.titleHit, ids.descHit, ids.libraryOnly].sort());
    // A private group does not see the platform group's catalog, only its own.
    assert.deepEqual(await names('outsider'), [ids.secretCourse]);
    assert.deepEqual(
      await names('admin', true),
      [ids.titleHit, ids.descHit, ids.secretCourse, ids.libraryOnly].sort(),
    );
  });

  it('filters by language, subject, content type, source and duration', async () => {
    const ids1 = async (f: Parameters<typeof search>[2]) =>
      (await search(t.ctx, as('admin', true), f)).items.map((i) => i.id);
    assert.deepEqual(await ids1({ lang: ['fr'] }), [ids.descHit]);
    assert.deepEqual(await ids1({ subject: ['Communication'] }), [ids.descHit]);
    assert.deepEqual(await ids1({ contentType: ['video'] }), [ids.descHit]);
    assert.deepEqual(await ids1({ source: ['native'] }), [ids.secretCourse]);
    assert.deepEqual(await ids1({ minDuration: 60 }), [ids.descHit]);
    assert.deepEqual(await ids1({ maxDuration: 60 }), [ids.titleHit]);
    assert.deepEqual(await ids1({ q: 'negotiation', lang: ['en'], subject: ['Sales'] }), [ids.titleHit]);
  });

  it('counts facets over visible, unarchived matches, ignoring the facet own filter', async () => {
    const r = await search(t.ctx, as('learner'), { q: 'negotiation', lang: ['fr'] });
    assert.equal(r.total, 1);
    assert.deepEqual(r.facets.lang, [
      { value: 'en', count: 1 },
      { value: 'fr', count: 1 },
    ]);
    assert.deepEqual(r.facets.subject, [
      { value: 'Communication', count: 1 },
      { value: 'Sales', count: 1 },
    ]);
    assert.deepEqual(r.facets.contentType, [{ value: 'video', count: 1 }]);
    assert.deepEqual(r.facets.source, [{ value: 'opensesame', count: 1 }]);
  });

  it('pages', async () => {
    const p1 = await search(t.ctx, as('admin', true), { pageSize: 2, page: 1 });
    const p2 = await search(t.ctx, as('admin', true), { pageSize: 2, page: 2 });
    assert.equal(p1.total, 4);
    assert.equal(p1.items.length, 2);
    assert.equal(p2.items.length, 2);
    assert.equal(new Set([...p1.items, ...p2.items].map((i) => i.id)).size, 4);
  });

  it('keeps the index in step with updates, archives and restores', async () => {
    await t.ctx.db
      .updateTable('courses')
      .set({ name: 'Conflict resolution', subjects: '["Leadership"]' })
      .where('id', '=', ids.titleHit!)
      .execute();
    const r = await search(t.ctx, as('learner'), { q: 'negotiation' });
    assert.deepEqual(
      r.items.map((i) => i.id),
      [ids.descHit],
    );
    assert.equal((await search(t.ctx, as('learner'), { q: 'conflict res' })).items[0]?.id, ids.titleHit);
    assert.deepEqual(
      (await search(t.ctx, as('learner'), { subject: ['Leadership'] })).items.map((i) => i.id),
      [ids.titleHit],
    );
    await archiveCourse(t.ctx.db, ids.descHit!);
    assert.equal((await search(t.ctx, as('learner'), { q: 'sales' })).total, 0);
    await t.ctx.db.updateTable('courses').set({ archived: 0 }).where('id', '=', ids.descHit!).execute();
    assert.equal((await search(t.ctx, as('learner'), { q: 'sales' })).total, 1);
  });

  it('keeps filters in step with edits to language, content type, source and duration', async () => {
    await t.ctx.db
      .updateTable('courses')
      .set({ lang: 'it', content_type: 'podcast', source: 'partner', duration_minutes: 45 })
      .where('id', '=', ids.descHit!)
      .execute();
    const f = {
      lang: ['it'],
      contentType: ['podcast'],
      source: ['partner'],
      minDuration: 40,
      maxDuration: 50,
    };
    assert.deepEqual(
      (await search(t.ctx, as('learner'), f)).items.map((i) => i.id),
      [ids.descHit],
    );
    assert.deepEqual(
      (await search(t.ctx, as('learner'), { ...f, q: 'sales' })).items.map((i) => i.id),
      [ids.descHit],
    );
    assert.equal((await search(t.ctx, as('learner'), { q: 'sales', lang: ['fr'] })).total, 0);
  });
});
