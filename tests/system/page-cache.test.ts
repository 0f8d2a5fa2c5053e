import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStorefront, type Storefront } from '../browser/storefront-server.js';
import { eventually } from '../../test-support/http.js';
import { signedUpClient } from '../../test-support/journeys.js';
import { ticketBody } from '../../test-support/tickets.js';

/** The nonce of a page's Content-Security-Policy header, and every nonce its HTML carries. */
function nonces(res: Response, html: string) {
  const policy = res.headers.get('content-security-policy') ?? '';
  return {
    header: /'nonce-([^']+)'/.exec(policy)?.[1],
    inPage: [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))],
  };
}

describe('the anonymous page cache, as visitors see it (embedded mode)', () => {
  let app: Storefront;
  beforeAll(async () => {
    app = await startStorefront({ PUBLIC_CACHE_SECONDS: '3' });
  }, 120_000);
  afterAll(() => app?.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, { headers });

  it('when anonymous visitors ask for the home page within seconds, then one render serves them, and its scripts still match its CSP nonce', async () => {
    const first = await get('/?q=cache-check');
    const firstHtml = await first.text();
    const second = await get('/?q=cache-check');
    const secondHtml = await second.text();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-page-cache')).toBe('miss');
    expect(second.headers.get('x-page-cache')).toBe('hit');
    expect(secondHtml).toBe(firstHtml);
    const { header, inPage } = nonces(second, secondHtml);
    expect(header).toBeTruthy();
    expect(inPage).toEqual([header]);
  });

  it('when a visitor is signed in, then the home page is rendered for them, never from the cache', async () => {
    const buyer = await signedUpClient(app.url, 'Cachebuyer');
    await get('/'); // an anonymous copy exists
    const res = await get('/', { cookie: buyer.cookie! });
    expect(res.headers.get('x-page-cache')).toBeNull();
    expect(await res.text()).toContain('Cachebuyer');
  });

  it('when a ticket is listed, then anonymous visitors see it within the cache lifetime', async () => {
    const seller = await signedUpClient(app.url, 'Cacheseller');
    await get('/'); // an anonymous copy from before the listing
    const title = `Cached show ${randomUUID().slice(0, 8)}`;
    const listed = await seller.post('/api/tickets', ticketBody({ title }));
    expect(listed.status).toBe(201);
    const listedAt = Date.now();
    // The page (3 s) and the catalogue data behind it (3 s) are each at most that stale.
    await eventually(
      async () => (await get('/')).text(),
      (html) => html.includes(title),
      15_000,
    );
    expect(Date.now() - listedAt).toBeLessThan(8_000);
  });

  it("when Next.js's router asks for a page, or a page is missing, then it is rendered as asked, not cached", async () => {
    const navigation = await get('/', { rsc: '1' });
    expect(navigation.headers.get('x-page-cache')).toBeNull();
    const missing = `/tickets/${randomUUID()}`;
    const first = await get(missing);
    const again = await get(missing);
    expect([first.status, again.status]).toEqual([404, 404]);
    expect(again.headers.get('x-page-cache')).toBeNull();
  });
});
