// A tiny cookie-keeping client over `app.inject` for page tests: it remembers cookies, reads the
// CSRF token from the last page, and submits forms like a browser would.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type Page = LightMyRequestResponse & { csrf: string | undefined };

export class PageClient {
  private cookies = new Map<string, string>();
  last: Page | undefined;
  constructor(private readonly app: FastifyInstance) {}

  /** Signs in with a session cookie made by `seedSession` (`name=value`). */
  useCookie(cookie: string): this {
    const [name, ...value] = cookie.split('=');
    if (name) this.cookies.set(name, value.join('='));
    return this;
  }

  private keep(res: LightMyRequestResponse): Page {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    const page = Object.assign(res, { csrf: csrf ?? this.last?.csrf });
    this.last = page;
    return page;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<Page> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } }));
  }

  async getJson(url: string): Promise<Page> {
    return this.keep(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { cookie: this.cookieHeader(), accept: 'application/json' },
      }),
    );
  }

  /** POSTs a form with the CSRF token of the last page (unless `_csrf` is given). */
  async post(url: string, form: Record<string, string> = {}): Promise<Page> {
    const body = new URLSearchParams({ _csrf: this.last?.csrf ?? '', ...form }).toString();
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      }),
    );
  }

  async signIn(email: string, password: string): Promise<Page> {
    await this.get('/login');
    return this.post('/login', { email, password, next: '/home' });
  }
}
