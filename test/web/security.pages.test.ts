// Every page (the table in pages.world.ts, refusals included) carries the strict Content-Security-
// Policy and the other security headers, and no page holds an inline script, an on* attribute or a
// style attribute (the policy would block them). The SAML auto-post page of START may post to the
// SP and its launch URL only.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { forEachEngine, createTestApp, type TestApp } from '../helpers/engines.js';
import { buildPagesWorld, SP, WHO, type PagesWorld } from './pages.world.js';
import { PageClient } from './browser.js';

/** The policy as a map: directive → its sources. */
function policyOf(header: unknown, name: string): Map<string, string[]> {
  assert.equal(typeof header, 'string', `${name}: one Content-Security-Policy header`);
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

/** Markup the policy refuses: inline scripts (JSON data islands are data, not scripts), handlers, styles. */
function inlineProblems(body: string): string[] {
  const problems: string[] = [];
  for (const [tag, attrs = ''] of body.matchAll(/<script\b([^>]*)>/gi))
    if (!/\ssrc="/.test(attrs) && !/\stype="application\/json"/.test(attrs)) problems.push(tag);
  for (const [tag] of body.matchAll(/<[a-z][^>]*\s(?:on[a-z]+|style)\s*=[^>]*>/gi)) problems.push(tag);
  if (/<style\b/i.test(body)) problems.push('<style>');
  return problems;
}

function assertHeaders(res: { headers: Record<string, unknown> }, name: string, formAction = ["'self'"]) {
  const csp = policyOf(res.headers['content-security-policy'], name);
  assert.deepEqual(csp.get('default-src'), ["'self'"], name);
  assert.deepEqual(csp.get('script-src'), ["'self'"], name);
  assert.deepEqual(csp.get('script-src-attr'), ["'none'"], name);
  assert.deepEqual(csp.get('style-src'), ["'self'"], name);
  assert.deepEqual(csp.get('object-src'), ["'none'"], name);
  assert.deepEqual(csp.get('base-uri'), ["'none'"], name);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], name);
  assert.deepEqual(csp.get('form-action'), formAction, name);
  assert.doesNotMatch(String(res.headers['content-security-policy']), /unsafe-|\*/, name);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', name);
  assert.equal(res.headers['x-frame-options'], 'DENY', name);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', name);
}

forEachEngine('page security headers', (engine) => {
  let t: TestApp;
  let world: PagesWorld;
  before(async () => {
    t = await createTestApp(engine);
    world = await buildPagesWorld(t.ctx);
  });
  after(() => t.close());

  it('sends the policy on every page, refusals and redirects included; no page has inline script', async () => {
    for (const row of world.rows) {
      for (const who of WHO) {
        const cookie = world.cookies.get(who) ?? '';
        const res = await t.app.inject({ url: row.url, headers: cookie ? { cookie } : {} });
        const name = `${row.url} as ${who} (${res.statusCode})`;
        const saml = row.route === '/saml/sso' && res.statusCode === 200;
        assertHeaders(res, name, saml ? ["'self'", new URL(SP.acsUrl).origin] : ["'self'"]);
        if (/text\/html/.test(String(res.headers['content-type'])))
          assert.deepEqual(inlineProblems(res.body), [], name);
      }
    }
  });

  it('lets START post the assertion to the SP and its launch URL, nowhere else', async () => {
    const b = new PageClient(t.app).useCookie(world.cookies.get('learner') ?? '');
    await b.get(`/courses/${world.courseId}`);
    const res = await b.post(`/courses/${world.courseId}/start`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /<form method="post" action="https:\/\/sp\.example\.test\/saml\/acs"/);
    assertHeaders(res, 'SAML post page', ["'self'", 'https://sp.example.test', 'https://os.example.test']);
    assert.deepEqual(inlineProblems(res.body), []);
    assert.match(res.body, /<script src="\/assets\/autosubmit\.js"><\/script>/);
  });

  it('serves the scripts the pages use from our origin, typed and not sniffed', async () => {
    for (const name of ['app.js', 'autosubmit.js', 'chart.umd.js']) {
      const res = await t.app.inject({ url: `/assets/${name}` });
      assert.equal(res.statusCode, 200, name);
      assert.match(String(res.headers['content-type']), /^text\/javascript/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
  });

  it('finds what the policy would block (the checker itself)', () => {
    assert.deepEqual(
      inlineProblems('<script src="/a.js"></script><script type="application/json">{}</script>'),
      [],
    );
    assert.equal(inlineProblems('<script>alert(1)</script>').length, 1);
    assert.equal(inlineProblems('<button onclick="x()">').length, 1);
    assert.equal(inlineProblems('<div class="a" style="height:3px">').length, 1);
    assert.equal(inlineProblems('<style>p{}</style>').length, 1);
  });
});
