import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { each, escapeHtml, html, trustedHtml } from '../../src/web/web.html.js';
import { jsonIsland, searchSummary } from '../../src/web/web.format.js';
import { safeNext } from '../../src/web/web.auth.pages.js';

describe('page rendering helpers', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script>' onmouseover='x`;
    assert.equal(
      html`<p title="${name}">${name}</p>`.value,
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x</p>',
    );
    assert.equal(escapeHtml('a&b`'), 'a&amp;b&#96;');
  });

  it('nests safe fragments without escaping them twice; drops null, undefined and booleans', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(
      html`<p>${inner}${null}${undefined}${false}${[1, '<', inner]}</p>`.value,
      '<p><b>&lt;i&gt;</b>1&lt;<b>&lt;i&gt;</b></p>',
    );
    assert.equal(each(['a', '<b>'], (s) => html`<li>${s}</li>`).value, '<li>a</li><li>&lt;b&gt;</li>');
    assert.equal(html`${trustedHtml('<em>ok</em>')}`.value, '<em>ok</em>');
  });

  it('keeps JSON islands from closing their script tag', () => {
    const out = jsonIsland('d', { name: '</script><script>alert(1)</script>' }).value;
    assert.ok(!out.slice(0, -'</script>'.length).includes('</script>'));
    assert.deepEqual(JSON.parse(/>(.*)<\/script>$/s.exec(out)?.[1] ?? ''), {
      name: '</script><script>alert(1)</script>',
    });
  });

  it('says above search results how many there are and how they were ranked', () => {
    assert.equal(searchSummary({ total: 1, approximate: false, rankedAmong: null }), '1 course');
    assert.equal(searchSummary({ total: 12, approximate: false, rankedAmong: null }), '12 courses');
    assert.equal(
      searchSummary({ total: 1000, approximate: true, rankedAmong: 1000 }),
      '1,000+ courses (refine the search for an exact count) · best matches first among the first 1,000 ' +
        '(course names before descriptions): add words to narrow it',
    );
  });

  it('only follows same-site paths after sign-in', () => {
    assert.equal(safeNext('/groups/1/stats'), '/groups/1/stats');
    for (const bad of ['//evil.test', '/\\evil.test', 'https://evil.test', '', undefined])
      assert.equal(safeNext(bad), '/home');
  });
});
