import http from 'node:http';

export interface Route {
  /** Path prefix, e.g. `/api/orders`; the longest matching prefix wins, as in the ingress. */
  prefix: string;
  /** Ports of the replicas on 127.0.0.1, served round-robin. */
  ports: () => number[];
}

const errorBody = (message: string) => JSON.stringify({ errors: [{ message }] });

/**
 * What the Kubernetes ingress does, for one machine: routes by path prefix to a service's
 * replicas, round-robin, streaming bodies both ways, and keeps X-Forwarded-For so rate limits see
 * the client's address. A replica that refuses the connection is skipped for the next one.
 */
export function createGateway(routes: Route[]): http.Server {
  const sorted = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  const turn = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

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
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');

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
        // Only a refused connection is safe to retry: the request never reached the replica.
        if (error.code === 'ECONNREFUSED' && tries + 1 < ports.length && !res.headersSent) {
          attempt(tries + 1);
          return;
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
