import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateCatalogue,
  generateItem,
  indexOfId,
  type SandboxItem,
} from '../../sandbox/sandbox.catalogue.js';
import { createCatalogueStore } from '../../sandbox/sandbox.store.js';

const shape = { seed: 7, launchBaseUrl: 'http://127.0.0.1:9999' };

describe('sandbox catalogue generator', () => {
  it('gives the same items for the same seed, other items for another seed', () => {
    assert.deepEqual(generateCatalogue(shape, 50), generateCatalogue(shape, 50));
    assert.deepEqual(generateItem(shape, 1234), generateCatalogue(shape, 1235)[1234]);
    const other = generateCatalogue({ ...shape, seed: 8 }, 50);
    assert.notDeepEqual(
      other.map((i) => i.id),
      generateCatalogue(shape, 50).map((i) => i.id),
    );
  });

  it('makes unique GUID-like ids that lead back to their index', () => {
    const items = generateCatalogue(shape, 5000);
    const ids = new Set(items.map((i) => i.id));
    assert.equal(ids.size, 5000);
    for (const i of [0, 1, 777, 4999]) {
      const id = items[i]?.id as string;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(indexOfId(shape, id, 5000), i);
    }
    assert.equal(indexOfId(shape, 'not-an-id', 5000), undefined);
    assert.equal(indexOfId(shape, items[4999]?.id as string, 4000), undefined);
  });

  it('has the variety the spec describes', () => {
    const items = generateCatalogue(shape, 5000);
    const values = (f: string) => items.map((i) => i[f]);
    const languages = new Set(values('languages').flat() as string[]);
    assert.ok(languages.size >= 10, `languages: ${[...languages].join(', ')}`);
    assert.ok(languages.has('English') && languages.has('French'), 'names');
    assert.ok(
      ['en-US', 'fr-FR', 'pt-BR', 'zh-Hant'].every((l) => languages.has(l)),
      'BCP 47 tags',
    );
    for (const cats of values('categories') as string[][]) {
      if (!Array.isArray(cats)) continue;
      assert.ok(cats.length >= 1 && cats.length <= 3);
      for (const c of cats) assert.match(c, /^(\|[^|]+)+$/);
    }
    assert.ok(new Set(values('publisherName')).size >= 15);
    assert.ok(new Set(values('type')).size >= 6);
    const durations = values('duration').filter((d) => d !== undefined) as string[];
    assert.ok(durations.every((d) => /^\d\d:\d\d:\d\d$/.test(d)));
    assert.ok(durations.length < items.length, 'some without a duration');
    const actives = new Set(values('active').map((a) => JSON.stringify(a)));
    for (const form of ['true', 'false', '1', '0', '"true"', '"false"']) assert.ok(actives.has(form), form);
    assert.ok(values('descriptionHtml').some((d) => typeof d === 'string' && d.includes('<script>')));
    assert.ok(items.some((i) => i.imageUrl === undefined && typeof i.thumbnailUrl === 'string'));
    assert.ok(items.some((i) => i.imageUrl === undefined && i.thumbnailUrl === undefined));
    assert.ok(items.some((i) => typeof i.xApiActivityId === 'string'));
    const broken = items.filter((i) => i.sandboxDefect !== undefined);
    assert.ok(broken.length > 5 && broken.length < 60, `about 0.5 % broken, got ${broken.length}`);
    const ok = items.filter((i) => i.sandboxDefect === undefined);
    assert.ok(ok.every((i) => typeof i.title === 'string' && String(i.quickLaunchUrl).startsWith('http')));
    assert.ok(ok.every((i) => !Number.isNaN(Date.parse(String(i.dateUpdated)))));
  });

  it('makes a page of a 100,000-course catalogue cheaply', () => {
    const store = createCatalogueStore(shape, 100_000);
    const started = performance.now();
    const page = store.slice(99_950, 50);
    assert.equal(page.length, 50);
    assert.equal(page[49]?.id, generateItem(shape, 99_999).id);
    assert.ok(performance.now() - started < 200);
  });
});

describe('sandbox catalogue store', () => {
  const now = () => new Date('2026-01-01T00:00:00Z');
  const ids = (items: SandboxItem[]) => items.map((i) => i.id);

  it('edits, retires, removes and adds, keeping paging consistent', () => {
    const store = createCatalogueStore(shape, 10, now);
    const all = generateCatalogue(shape, 10);
    const third = all[2]?.id as string;
    const edited = store.edit(third, { title: 'Renamed', duration: null });
    assert.equal(edited?.title, 'Renamed');
    assert.equal(edited?.duration, undefined);
    assert.ok(Date.parse(String(edited?.dateUpdated)) > Date.parse(String(all[2]?.dateUpdated)));
    assert.equal(store.retire(third)?.active, false);

    assert.equal(store.remove(all[0]?.id as string), true);
    assert.equal(store.remove(all[5]?.id as string), true);
    assert.equal(store.remove('nope'), false);
    const added = store.add({ title: 'Brand new' });
    assert.equal(store.size(), 9);
    const pages = [0, 3, 6].flatMap((o) => store.slice(o, 3));
    assert.deepEqual(ids(pages), [...ids(all).filter((_, i) => i !== 0 && i !== 5), added.id]);
    assert.equal(store.get(third)?.title, 'Renamed');
    assert.equal(store.get(all[0]?.id as string), undefined);
    assert.throws(() => store.add({ id: added.id }));

    store.reset();
    assert.deepEqual(ids(store.slice(0, 50)), ids(all));
  });
});
