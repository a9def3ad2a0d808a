// The alternate request syntax of xAPI 1.0.3 (Communication 1.3), for clients that can only send a
// POST without headers (old browsers' cross-domain requests, long GET queries): the intended method
// is the only query parameter (`?method=PUT`), and a form body carries the headers, the query
// parameters and the content. Pure: the route turns the result into a normal call. xAPI 2.0 removed
// this syntax, so the route refuses it for 2.0 requests.

export type AlternateMethod = 'GET' | 'PUT' | 'POST';

export type AlternateRequest = {
  method: AlternateMethod;
  /** Header parameters given as form parameters (1.3.s3.b6/b7: the LRS treats them as headers). */
  authorization?: string;
  version?: string;
  contentType?: string;
  /** Every other form parameter, except `content`, is a query parameter (1.3.s3.b14). */
  query: Record<string, string>;
  /** The request's content, URL-encoded in the `content` form parameter (1.3.s3.b4/b5). */
  content?: string;
};

export type AlternateProblem = { code: string; problem: string };

const METHODS: readonly string[] = ['GET', 'PUT', 'POST'];
// The header parameters a form may carry (1.3.s3.b6). Content-Length, If-Match and If-None-Match
// are headers too (never query parameters), though the statements resource has no use for them.
const HEADER_PARAMETERS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);

/** True when a request uses the syntax: a POST whose query has a `method` parameter. */
export function isAlternateRequest(httpMethod: string, url: string): boolean {
  return httpMethod === 'POST' && /[?&]method=/.test(url);
}

/**
 * The request the form describes. `query` is the URL's query (`method` only, 1.3.s3.b3); `form` the
 * parsed `application/x-www-form-urlencoded` body (undefined when there is none).
 */
export function parseAlternateRequest(
  query: Record<string, string>,
  form: unknown,
): AlternateRequest | AlternateProblem {
  const extra = Object.keys(query).find((k) => k !== 'method');
  if (extra !== undefined)
    return {
      code: 'invalid_query',
      problem: `With ?method=, every other parameter goes in the form body (Communication 1.3): ${extra}.`,
    };
  const method = String(query.method).toUpperCase();
  if (!METHODS.includes(method))
    return {
      code: 'invalid_method',
      problem: `The statements resource takes GET, PUT or POST, not ${method}.`,
    };
  if (form !== undefined && (typeof form !== 'object' || form === null || Array.isArray(form)))
    return {
      code: 'invalid_alternate_request',
      problem: 'With ?method=, the body is a form (application/x-www-form-urlencoded).',
    };
  const out: AlternateRequest = { method: method as AlternateMethod, query: {} };
  for (const [name, value] of Object.entries((form ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string')
      return { code: 'invalid_alternate_request', problem: `Form parameter ${name} is given twice.` };
    const header = name.toLowerCase();
    if (name === 'content') out.content = value;
    else if (header === 'authorization') out.authorization = value;
    else if (header === 'x-experience-api-version') out.version = value;
    else if (header === 'content-type') out.contentType = value;
    else if (!HEADER_PARAMETERS.has(header)) out.query[name] = value;
  }
  return out;
}
