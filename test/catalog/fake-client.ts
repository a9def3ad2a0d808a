// A small in-test OpenSesame client over an editable list of items, for engine tests that need exact
// control (failures after N pages, a page that waits). Integration tests use the real sandbox.
import {
  OpenSesameError,
  type CataloguePage,
  type OpenSesameClient,
  type OpenSesameClientFactory,
} from '../../src/opensesame/opensesame.types.js';

export type FakeCatalogue = {
  items: Array<Record<string, unknown>>;
  pageSize: number;
  /** Throw retries_exhausted when asked for this 1-based page. */
  failAtPage?: number | undefined;
  /** Await this before serving this page (concurrency tests). */
  holdPage?: { page: number; until: Promise<void> } | undefined;
  calls: number;
};

export function fakeItem(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `c-${String(n).padStart(5, '0')}`;
  return {
    id,
    title: `Course ${n}`,
    descriptionHtml: `<p>About course ${n}</p>`,
    imageUrl: `https://img.example.com/${id}.png`,
    duration: '00:30:00',
    publisherName: 'Acme',
    languages: ['en-US'],
    quickLaunchUrl: `https://launch.example.com/${id}`,
    dateUpdated: '2025-01-01T00:00:00Z',
    categories: ['|Compliance|Safety'],
    active: true,
    type: 'course',
    ...overrides,
  };
}

export function fakeCatalogue(count: number, pageSize = 10): FakeCatalogue {
  return { items: Array.from({ length: count }, (_, i) => fakeItem(i + 1)), pageSize, calls: 0 };
}

export function fakeClientFactory(cat: FakeCatalogue): OpenSesameClientFactory {
  return (): OpenSesameClient => ({
    async *listCatalogue(): AsyncIterable<CataloguePage> {
      cat.calls += 1;
      const snapshot = [...cat.items];
      for (let page = 1; (page - 1) * cat.pageSize < snapshot.length; page++) {
        if (cat.failAtPage === page)
          throw new OpenSesameError('list', 'retries_exhausted', `page ${page}: 503 after 5 attempts`, 503);
        if (cat.holdPage?.page === page) await cat.holdPage.until;
        yield { page, items: snapshot.slice((page - 1) * cat.pageSize, page * cat.pageSize) };
      }
    },
    async verify() {
      return { ok: true };
    },
  });
}
