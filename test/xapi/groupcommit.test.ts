// Group commit (src/xapi/xapi.writer.ts): concurrent POSTs share one transaction, yet each request
// keeps its own answer: new statements 200, an identical resend 200, a changed resend 409, and a
// batch with one conflicting statement stores nothing (all or nothing), whoever it was grouped with.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { countStatements, getStatementsByIds } from '../../src/xapi/xapi.repository.js';
import { writerCounts } from '../../src/xapi/xapi.writer.js';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { completion, makeIntegration, XAPI_HEADERS, type TestIntegration } from './fixtures.js';

const BASE = '/api/opensesame/stats';

forEachEngine('xAPI group commit', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  let other: TestIntegration;
  before(async () => {
    t = await createTestApp(engine);
    i = await makeIntegration(t.ctx);
    other = await makeIntegration(t.ctx);
  });
  after(() => t.close());

  const post = (who: TestIntegration, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: BASE,
      headers: { ...XAPI_HEADERS, authorization: who.basic },
      payload: payload as object,
    });

  it('concurrent plain POSTs are committed together, each answered with its ids', async () => {
    const before = writerCounts(t.ctx);
    const list = Array.from({ length: 20 }, (_, n) => completion(`g${n}@example.com`, 'https://c.example/g'));
    const res = await Promise.all(list.map((s, n) => post(n % 2 ? other : i, s)));
    res.forEach((r, n) => {
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(r.json(), [list[n]?.id]);
    });
    const after = writerCounts(t.ctx);
    assert.equal(after.requests - before.requests, 20);
    assert.ok(
      after.groups - before.groups < 20,
      `expected shared commits, got ${after.groups - before.groups}`,
    );
    assert.equal(after.alone, before.alone);
    assert.equal(await countStatements(t.ctx.db, i.row.id), 10);
    assert.equal(await countStatements(t.ctx.db, other.row.id), 10);
  });

  it('grouped statements keep every character of their columns and refs (quotes, backslashes, commas, braces, NULL)', async () => {
    const odd = ['"quoted"', 'back\\slash', 'a,b', '{braces}', 'NULL', 'é-ü-日本', "it's"];
    const list = odd.map((text, n) =>
      completion(
        `odd${n}.${text.replace(/[^a-z]/gi, '')}"x\\@example.com`,
        `https://c.example/odd?v=${text}`,
        {
          verb: { id: `https://v.example/${text}`, display: { 'en-US': text } },
        },
      ),
    );
    const before = writerCounts(t.ctx);
    const res = await Promise.all(list.map((s) => post(i, s)));
    res.forEach((r) => assert.equal(r.statusCode, 200, r.body));
    const after = writerCounts(t.ctx);
    assert.ok(after.groups - before.groups < list.length, 'committed in shared groups');
    assert.equal(after.alone, before.alone, 'no group fell back to writing each request alone');
    for (const s of list) {
      const object = s.object as { id: string };
      const actor = s.actor as { mbox: string };
      const query = `activity=${encodeURIComponent(object.id)}&agent=${encodeURIComponent(JSON.stringify({ mbox: actor.mbox }))}`;
      const found = await t.app.inject({
        url: `${BASE}/statements?${query}`,
        headers: { ...XAPI_HEADERS, authorization: i.basic },
      });
      assert.equal(found.statusCode, 200, found.body);
      const [back] = found.json().statements;
      assert.equal(back?.id, s.id);
      assert.deepEqual(back?.verb, s.verb);
      assert.equal(back?.actor.mbox, actor.mbox);
    }
  });

  it('a group with a resend, a conflict and a conflicting batch falls back: each request gets its own answer', async () => {
    const stored = completion('stored@example.com', 'https://c.example/g');
    assert.equal((await post(i, stored)).statusCode, 200);
    const changed = { ...stored, verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } };
    const fresh = completion('fresh@example.com', 'https://c.example/g');
    const batchNew = completion('batch@example.com', 'https://c.example/g');
    const before = writerCounts(t.ctx);
    const [resend, conflict, newOne, batch, sameIdOtherIntegration] = await Promise.all([
      post(i, stored),
      post(i, changed),
      post(i, fresh),
      post(i, [batchNew, changed]),
      post(other, stored), // ids are unique per integration: this is a new statement there
    ]);
    assert.equal(resend?.statusCode, 200, resend?.body);
    assert.equal(conflict?.statusCode, 409, conflict?.body);
    assert.equal(newOne?.statusCode, 200, newOne?.body);
    assert.equal(batch?.statusCode, 409, batch?.body);
    assert.equal(sameIdOtherIntegration?.statusCode, 200, sameIdOtherIntegration?.body);
    assert.ok(writerCounts(t.ctx).alone > before.alone, 'the group fell back to one transaction each');
    const ids = [String(stored.id), String(fresh.id), String(batchNew.id)];
    const rows = await getStatementsByIds(t.ctx.db, i.row.id, ids);
    assert.deepEqual(rows.map((r) => r.id).sort(), [String(stored.id), String(fresh.id)].sort());
    const kept = rows.find((r) => r.id === stored.id);
    assert.equal(JSON.parse(kept?.statement ?? '{}').verb.id, 'http://adlnet.gov/expapi/verbs/completed');
    assert.equal((await getStatementsByIds(t.ctx.db, other.row.id, [String(stored.id)])).length, 1);
  });
});
