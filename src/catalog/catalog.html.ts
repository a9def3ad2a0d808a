// Course descriptions come from the vendor as HTML and are shown to learners: only a small
// formatting allow-list survives. No scripts, styles, event handlers, iframes or non-http(s) links.
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'sub',
    'sup',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'span',
    'div',
    'hr',
    'code',
    'pre',
  ],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Links leave the platform in a new tab and never get the opener.
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
  },
};
// transformTags adds attributes the allow-list must then accept.
OPTIONS.allowedAttributes = { a: ['href', 'title', 'target', 'rel'] };

/** Safe HTML, or null when nothing is left. */
export function sanitizeDescription(html: unknown): string | null {
  if (typeof html !== 'string') return null;
  const clean = sanitizeHtml(html, OPTIONS).trim();
  return clean === '' ? null : clean;
}
