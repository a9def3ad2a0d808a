// The alternate request syntax of xAPI 1.0.3 (Communication 1.3, XAPI-00336 "The LRS MUST support
// the Alternate Request Syntax"): a POST with ?method=, headers, query and content in a form body.
// xAPI 2.0 dropped it (the 2.0 conformance suite no longer tests it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { parseAlternateRequest } from '../../src/xapi/xapi.alternate.js';
import { createTestApp, forEachEngine, type TestApp } from '../helpers/engines.js';
import { completion, makeIntegration, type TestIntegration } from './fixtures.js';

const STATEMENTS = '/api/opensesame/stats/statements';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('xAPI alternate request syntax (pure)', () => {
  it('Communication 1.3.s3.b7/b14: header parameters are headers, content is content, the rest is the query', () => {
    const parsed = parseAlternateRequest(
      { method: 'put' },
      {
        Authorization: 'Basic x',
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
        'Content-Length': '2',
        statementId: 'abc',
        content: '{}',
      },
    );
    assert.deepEqual(parsed, {
      method: 'PUT',
      authorization: 'Basic x',
      version: '1.0.3',
      contentType: 'application/json',
      query: { statementId: 'abc' },
      content: '{}',
    });
  });
  it('Communication 1.3.s3.b3: no query parameter but method; the statements resource takes GET, PUT, POST', () => {
    assert.equal('code' in parseAlternateRequest({ method: 'GET', limit: '1' }, {}), true);
    assert.equal('code' in parseAlternateRequest({ method: 'DELETE' }, {}), true);
    assert.equal('code' in parseAlternateRequest({ method: 'GET' }, { limit: ['1', '2'] }), true);
  });
});

forEachEngine('xAPI alternate request syntax', (engine) => {
  let t: TestApp;
  let i: TestIntegration;
  before(async () => {
    t = await createTestApp(engine);
    i = await makeIntegration(t.ctx);
  });
  after(() => t.close());

  const alt = (
    method: string,
    form: Record<string, string>,
    query = '',
    headers: Record<string, string> = FORM,
  ) =>
    t.app.inject({
      method: 'POST',
      url: `${STATEMENTS}?method=${method}${query}`,
      headers,
      payload: new URLSearchParams(form).toString(),
    });
  const withAuth = (form: Record<string, string>) => ({
    Authorization: i.basic,
    'X-Experience-API-Version': '1.0.3',
    ...form,
  });

  it('Communication 1.3.s3.b2/b4/b7 (XAPI-00336): ?method=PUT with statementId, headers and content in the form stores the statement', async () => {
    const s = completion('alt-put@example.com', 'https://c.example/alt');
    const res = await alt(
      'PUT',
      withAuth({
        'Content-Type': 'application/json',
        statementId: String(s.id),
        content: JSON.stringify(s),
      }),
    );
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(res.headers['x-experience-api-version'], '1.0.3');
    const back = await t.app.inject({
      url: `${STATEMENTS}?statementId=${String(s.id)}`,
      headers: { 'x-experience-api-version': '1.0.3', authorization: i.basic },
    });
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.json().id, s.id);
  });

  it('Communication 1.3 (XAPI-00336): ?method=POST with a batch as content answers the ids, in order', async () => {
    const a = completion('alt-a@example.com', 'https://c.example/alt');
    const b = completion('alt-b@example.com', 'https://c.example/alt');
    const res = await alt('POST', withAuth({ content: JSON.stringify([a, b]) }));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), [a.id, b.id]);
  });

  it('Communication 1.3.s3.b14 (XAPI-00148): ?method=GET takes the query from the form and answers a StatementResult', async () => {
    const s = completion('alt-get@example.com', 'https://c.example/alt-get');
    assert.equal((await alt('POST', withAuth({ content: JSON.stringify(s) }))).statusCode, 200);
    const one = await alt('GET', withAuth({ statementId: String(s.id) }));
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(one.json().id, s.id);
    const list = await alt('GET', withAuth({ activity: 'https://c.example/alt-get', limit: '1' }));
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual(
      list.json().statements.map((x: { id: string }) => x.id),
      [s.id],
    );
  });

  it('Communication 1.3: a form sent as text/plain (cross-domain requests of old browsers) is read as well', async () => {
    const s = completion('alt-text@example.com', 'https://c.example/alt');
    const res = await alt('POST', withAuth({ content: JSON.stringify(s) }), '', {
      'content-type': 'text/plain',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), [s.id]);
  });

  it('Communication 1.3.s3.b3: any other query string parameter → 400; an unknown method → 400', async () => {
    const s = completion('alt-extra@example.com', 'https://c.example/alt');
    const extra = await alt('PUT', withAuth({ content: JSON.stringify(s) }), `&statementId=${String(s.id)}`);
    assert.equal(extra.statusCode, 400);
    assert.equal(extra.json().error.code, 'invalid_query');
    const bad = await alt('PATCH', withAuth({ content: JSON.stringify(s) }));
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_method');
  });

  it('Communication 1.3.s3.b7 and 3.3: credentials and version come from the form; without them → 401 / 400', async () => {
    const s = completion('alt-auth@example.com', 'https://c.example/alt');
    const noAuth = await alt('POST', { 'X-Experience-API-Version': '1.0.3', content: JSON.stringify(s) });
    assert.equal(noAuth.statusCode, 401);
    const noVersion = await alt('POST', { Authorization: i.basic, content: JSON.stringify(s) });
    assert.equal(noVersion.statusCode, 400);
    assert.equal(noVersion.json().error.code, 'missing_version_header');
  });

  it('xAPI 2.0 has no alternate request syntax: a 2.0 request with ?method= → 400, nothing stored', async () => {
    const s = { ...completion('alt-2@example.com', 'https://c.example/alt'), id: crypto.randomUUID() };
    const res = await alt('POST', {
      ...withAuth({ content: JSON.stringify(s) }),
      'X-Experience-API-Version': '2.0.0',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'alternate_syntax_unsupported');
    const back = await t.app.inject({
      url: `${STATEMENTS}?statementId=${s.id}`,
      headers: { 'x-experience-api-version': '1.0.3', authorization: i.basic },
    });
    assert.equal(back.statusCode, 404);
  });
});
