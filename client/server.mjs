// The storefront as a request handler, for a host that serves it in its own HTTP server
// (the embedded mode: one process, one port, the API on /api/* and these pages on the rest).
// Plain ESM JavaScript, loaded as it is: no build step for this file.
import { fileURLToPath } from 'node:url';
import next from 'next';
import { withPageCache } from './page-cache.mjs';

/** Where lib/runtime-config.ts looks first for the API origin of server-side rendering. */
const API_ORIGIN_KEY = Symbol.for('ticketing.client.apiOrigin');

/** This folder: the Next.js project, with its `next build` output in `.next/`. */
export const clientDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Prepares the built storefront (`npm run build -w @ticketing/client` must have run) and
 * returns an express-compatible handler for every page and asset path.
 *
 * @param {{ dir?: string, apiOrigin: string | (() => string) }} options
 *   dir: the client folder (defaults to this file's folder);
 *   apiOrigin: where server-side rendering sends its API calls, e.g. `http://127.0.0.1:3000`;
 *   a function is asked on every request, for a host that learns its port only once listening
 *   (PORT=0).
 */
export async function createClientHandler({ dir = clientDir, apiOrigin }) {
  if (!apiOrigin) throw new Error('createClientHandler: apiOrigin is required');
  // Pages render in this process and find the origin here: a process-wide setting, as the
  // environment variable API_ORIGIN is for `next start`.
  globalThis[API_ORIGIN_KEY] = apiOrigin;

  // Note: next() sets process.env.NODE_ENV to 'production' when it is unset.
  const app = next({ dev: false, dir });
  await app.prepare();
  // The anonymous home and ticket pages: rendered once per PUBLIC_CACHE_SECONDS (default 2).
  const handle = withPageCache(app.getRequestHandler(), {
    ttlMs: Math.max(0, Number(process.env.PUBLIC_CACHE_SECONDS ?? 2)) * 1000,
  });

  return (req, res, nextMiddleware) => {
    handle(req, res).catch((error) => {
      if (nextMiddleware) return nextMiddleware(error);
      console.error('storefront: a request failed', error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Internal Server Error');
      } else {
        res.destroy();
      }
    });
  };
}
