// The anonymous page cache: the home and ticket pages, rendered once per few seconds for every
// visitor without a session, instead of once per visitor. Plain ESM JavaScript, loaded as it is.
import inject from 'light-my-request';

/**
 * Pages every anonymous visitor sees alike: the home page (any query: search, page) and a
 * ticket's page. Everything else (forms, account pages) renders per request.
 */
const CACHED_PATHS = /^\/(?:tickets\/[^/?]+)?(?:\?|$)/;
/** Request headers of Next.js's own client navigations (RSC payloads, prefetches, actions). */
const NEXT_CLIENT_HEADERS = [
  'rsc',
  'next-router-prefetch',
  'next-router-state-tree',
  'next-action',
];
/** Response headers that describe the bytes as they were sent, not the page. */
const TRANSFER_HEADERS = [
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
];
const MAX_ENTRIES = 200;

/**
 * Wraps a Next.js request handler: a GET or HEAD of a cached path, from a visitor with no cookie
 * and not from Next's client router, is answered from memory while a copy rendered less than
 * `ttlMs` ago exists. A miss renders the page once through `handle` (light-my-request's
 * in-process injection, no network), and every visitor asking meanwhile shares that render. Only
 * a 200 HTML page that sets no cookie is kept; bounded to MAX_ENTRIES pages, oldest out first.
 *
 * The cached copy keeps its Content-Security-Policy header with the nonce it was rendered with:
 * the nonce still matches the page's scripts, and since the document cannot change while
 * cached, knowing its nonce lets nobody add a script to it.
 *
 * Per-user parts stay per-user: a signed-in visitor sends the session cookie and is never
 * served from here. Staleness is at most `ttlMs`, like the catalogue data cache behind it.
 *
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>} handle
 * @param {{ ttlMs: number }} options ttlMs: how long a rendered page is served, in ms (0: off)
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>}
 */
export function withPageCache(handle, { ttlMs }) {
  if (!(ttlMs > 0)) return handle;
  /** @type {Map<string, { expires: number, page: Promise<CachedPage | null> }>} */
  const entries = new Map();

  /** @returns {Promise<CachedPage | null>} null: this answer is not to be kept */
  async function render(req) {
    const headers = { ...req.headers };
    delete headers['accept-encoding']; // kept as plain text; whatever is in front compresses
    const res = await inject(handle, { method: 'GET', url: req.url, headers });
    const type = String(res.headers['content-type'] ?? '');
    if (res.statusCode !== 200 || !type.startsWith('text/html') || res.headers['set-cookie']) {
      return null;
    }
    const kept = Object.fromEntries(
      Object.entries(res.headers).filter(([name]) => !TRANSFER_HEADERS.includes(name)),
    );
    return { headers: kept, body: res.rawPayload };
  }

  return async (req, res) => {
    if (!cacheable(req)) return handle(req, res);
    const key = `${req.headers.host ?? ''} ${req.url}`;
    const now = Date.now();
    let entry = entries.get(key);
    const miss = !entry || entry.expires <= now;
    if (miss) {
      entries.delete(key);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value);
      entry = { expires: now + ttlMs, page: render(req).catch(() => null) };
      entries.set(key, entry);
    }
    const page = await entry.page;
    if (!page) {
      if (entries.get(key) === entry) entries.delete(key);
      return handle(req, res); // not cacheable (a 404, an error): rendered for this visitor
    }
    res.writeHead(200, { ...page.headers, 'x-page-cache': miss ? 'miss' : 'hit' });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  };
}

/** @typedef {{ headers: Record<string, string | string[] | number | undefined>, body: Buffer }} CachedPage */

function cacheable(req) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.headers.cookie || req.headers.authorization) return false;
  if (NEXT_CLIENT_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return CACHED_PATHS.test(req.url ?? '');
}
