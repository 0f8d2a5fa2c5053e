// The storefront in a process of its own (the distributed mode: the local topology and the
// container): what `next start` does, plus the anonymous page cache (page-cache.mjs), which
// lives in createClientHandler so both modes have it. Plain ESM JavaScript, no build step.
//
//   PORT=3000 API_ORIGIN=http://gateway node client/serve.mjs
//
// PORT: where to listen (default 3000); API_ORIGIN: where server-side rendering sends its API
// calls (default this process's own port). SIGTERM or SIGINT: stop accepting, let requests in
// flight finish (at most 10 s), exit 0.
import { createServer } from 'node:http';
import { createClientHandler } from './server.mjs';

const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0-65535), not "${process.env.PORT}"`);
  process.exit(1);
}
const apiOrigin = process.env.API_ORIGIN || `http://127.0.0.1:${port}`;
if (!URL.canParse(apiOrigin) || !/^https?:$/.test(new URL(apiOrigin).protocol)) {
  console.error(`API_ORIGIN must be an http(s) URL, not "${apiOrigin}"`);
  process.exit(1);
}

const handler = await createClientHandler({ apiOrigin });
const server = createServer(handler);
// Longer than the idle timeout of the proxies in front (60 s for most), so they close first.
server.keepAliveTimeout = 65_000;
server.listen(port, () => console.log(`storefront listening on port ${server.address().port}`));

function stop() {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
