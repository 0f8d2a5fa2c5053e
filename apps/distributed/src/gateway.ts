import http from 'node:http';

export interface Route {
  /** Path prefix, e.g. `/api/orders`; the longest matching prefix wins, as in the ingress. */
  prefix: string;
  /**
   * Ports of the replicas on 127.0.0.1, served round-robin. Asked on every request, so a
   * replica that stops or comes back (same port or a new one) leaves or rejoins at once.
   */
  ports: () => number[];
}

const errorBody = (message: string) => JSON.stringify({ errors: [{ message }] });

/**
 * What the Kubernetes ingress does, for one machine: routes by path prefix to a service's
 * replicas, round-robin, streaming bodies both ways, and keeps X-Forwarded-For so rate limits see
 * the client's address.
 *
 * Connections to the replicas are kept alive and reused; an idle one is closed by the gateway
 * after IDLE_MS, before the replica's own keep-alive timeout (Node's 5 s) would close it: a
 * request written to a socket the replica is closing at that moment would fail after it left.
 * A request is sent to the next replica only when it provably never reached the first: the
 * connection was refused, or a GET/HEAD/OPTIONS found its reused connection already closed.
 */
export function createGateway(routes: Route[]): http.Server {
  const sorted = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  const turn = new Map<string, number>();
  // `timeout` destroys a socket idle in the pool (an active one only gets a 'timeout' event).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: IDLE_MS });

  return http.createServer((req, res) => {
    const path = req.url ?? '/';
    const route = sorted.find(
      (r) =>
        r.prefix === '/' ||
        path === r.prefix ||
        path.startsWith(`${r.prefix}/`) ||
        path.startsWith(`${r.prefix}?`),
    );
    // An API path no service owns is the API's own 404, not a page of the client.
    if (path.startsWith('/api/') && (!route || route.prefix === '/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(errorBody('Route not found'));
      return;
    }
    const ports = route?.ports() ?? [];
    if (!route || ports.length === 0) {
      res.writeHead(route ? 503 : 404, { 'content-type': 'application/json' });
      res.end(errorBody(route ? 'Service unavailable' : 'Route not found'));
      return;
    }
    const start = turn.get(route.prefix) ?? 0;
    turn.set(route.prefix, start + 1);
    // The address this gateway saw, replacing whatever the client claimed: the services trust
    // this hop, so a client-sent X-Forwarded-For must not reach them as if the gateway vouched.
    const forwardedFor = req.socket.remoteAddress ?? '';

    const attempt = (tries: number) => {
      const port = ports[(start + tries) % ports.length]!;
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path,
          headers: { ...req.headers, 'x-forwarded-for': forwardedFor },
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (error: NodeJS.ErrnoException) => {
        if (!res.headersSent && neverReached(upstream, error, req.method)) {
          // The same replica again when it is the only one: a reused socket was stale.
          if (tries + 1 < Math.max(ports.length, 2)) {
            attempt(tries + 1);
            return;
          }
        }
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(errorBody('Service unavailable'));
        } else {
          res.destroy();
        }
      });
      upstream.end(body);
    };

    // The body is read first so that a request can be sent again to another replica; the
    // services refuse anything over 100 kB anyway, so the gateway stops reading at 1 MB.
    const chunks: Buffer[] = [];
    let size = 0;
    let body: Buffer;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(errorBody('Request body is larger than 100 kB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      body = Buffer.concat(chunks);
      attempt(0);
    });
  });
}

const MAX_BODY = 1024 * 1024;
/** Idle keep-alive connections to replicas close after this, under Node's 5 s server default. */
const IDLE_MS = 4_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a failed upstream request can be sent again without risk of running twice: a refused
 * connection never carried it; a reset of a reused keep-alive socket means the replica closed
 * it while idle, which for a safe method is harmless to repeat in any case.
 */
function neverReached(
  upstream: http.ClientRequest,
  error: NodeJS.ErrnoException,
  method: string | undefined,
): boolean {
  if (error.code === 'ECONNREFUSED') return true;
  return (
    upstream.reusedSocket &&
    (error.code === 'ECONNRESET' || error.code === 'EPIPE') &&
    SAFE_METHODS.has(method ?? 'GET')
  );
}
