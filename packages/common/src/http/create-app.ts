import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { logger } from '../observability/logger.js';
import { httpDuration, registry } from '../observability/metrics.js';
import { contextFrom, currentContext, runInContext } from '../observability/request-context.js';
import { currentUser } from './current-user.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import {
  jsonBody,
  noStoreForUsers,
  refuseCrossSite,
  refuseMalformedQuery,
  refuseUndecodablePath,
  refuseUnstorableBody,
  requireJsonBodies,
} from './request-guards.js';

export interface HttpAppOptions {
  /** Routers with full paths (`/api/users/...`), so one app can host any number of services. */
  routers: Router[];
  jwtKey: string;
  /** Each check throws when its dependency does not answer; `/readyz` runs them all. */
  readinessChecks: Record<string, () => Promise<void>>;
  /** Express's `trust proxy`: which hops may set X-Forwarded-For (rate limits key on the IP). */
  trustProxy?: string | boolean | number;
  /** Serves every non-API path (the web client, in the embedded mode) instead of a JSON 404. */
  fallback?: RequestHandler;
  /**
   * Other origins (`https://shop.example`) whose pages may send state-changing requests; the
   * request's own host always may. Everything else with an `Origin`/`Referer` is a 403.
   */
  allowedOrigins?: string[];
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** Starts each request's async context: its id (kept from `X-Request-Id`) and trace. */
const requestContext: RequestHandler = (req, res, next) => {
  const given = req.header('x-request-id');
  const ctx = contextFrom(
    req.header('traceparent'),
    given && REQUEST_ID.test(given) ? given : undefined,
  );
  res.setHeader('X-Request-Id', ctx.requestId);
  runInContext(ctx, next);
};

const measureLatency: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer({ method: req.method });
  res.on('finish', () => {
    // The matched route pattern, never the raw URL: ids in paths would explode the label set.
    const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
    end({ route, status: String(res.statusCode) });
  });
  next();
};

/** Runs `handler` for `/api/` paths and passes every other request on untouched. */
function forApiOnly(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (req.path.startsWith('/api/') ? handler(req, res, next) : next());
}

/** One HTTP pipeline for every service: context, logs, security headers, body limits, errors. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback, linklocal, uniquelocal');
  app.use(requestContext);
  app.use(
    pinoHttp({
      logger,
      genReqId: () => currentContext()?.requestId ?? 'unknown',
      // Method, path and status are what a request log needs; headers would carry the session
      // cookie and bearer tokens into the logs, so none are logged.
      serializers: {
        // The path without its query string: a query can carry what a client typed (a reset
        // token in a link, an email), and logs keep no secret.
        req: (req: { method: string; url: string }) => ({
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  app.use(measureLatency);
  // The API answers JSON only; pages (the client) set their own Content-Security-Policy, since
  // Next.js needs inline scripts that helmet's default policy would block.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(noStoreForUsers);
  // What no route may see (API.md v2): undecodable or NUL paths and queries, other sites'
  // state-changing requests, non-JSON bodies, bytes that are not UTF-8, strings with NUL.
  // Paths and queries are checked for the API only: pages (the fallback) answer a malformed
  // URL with their own server-rendered 404 or a message, never with the API's JSON.
  app.use(forApiOnly(refuseUndecodablePath));
  app.use(forApiOnly(refuseMalformedQuery));
  app.use(refuseCrossSite(options.allowedOrigins));
  app.use(requireJsonBodies);
  app.use(jsonBody());
  app.use(refuseUnstorableBody);
  app.use(currentUser(options.jwtKey));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // The public answer says only ready or not; which dependency failed is on the metrics port.
  app.get('/readyz', async (_req, res) => {
    const { ready } = await readiness(options.readinessChecks);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });

  for (const router of options.routers) app.use(router);
  if (options.fallback) {
    const fallback = options.fallback;
    app.use((req, res, next) => (req.path.startsWith('/api/') ? next() : fallback(req, res, next)));
  }
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** Runs every check; a check that throws marks its dependency unavailable. */
async function readiness(checks: Record<string, () => Promise<void>>) {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await check();
        return [name, 'ok'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return {
    ready: results.every(([, status]) => status === 'ok'),
    checks: Object.fromEntries(results),
  };
}

/**
 * The operators' listener (`METRICS_PORT`, never routed by the gateway or the ingress):
 * Prometheus `/metrics` and `/readyz` with each dependency's state.
 */
export function createMetricsApp(readinessChecks: Record<string, () => Promise<void>>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness(readinessChecks);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /**
   * Stops accepting connections and resolves once every request in flight is answered.
   *
   * `idleGraceMs` (default 0) is how long idle keep-alive sockets may stay open. With 0 they
   * are dropped at once, which is right when no proxy pools connections to this server (tests,
   * the embedded app). Behind a proxy that pools them (the gateway, an ingress), dropping an idle
   * socket races the proxy writing its next request on it: the proxy sees a reset and cannot
   * tell whether a POST ran, so it must answer 502. With a grace period an idle socket instead
   * carries at most one more request, answered with `Connection: close`, or closes when the
   * proxy's idle timer (under this server's 5 s `keepAliveTimeout`) ends it.
   */
  close(options?: { idleGraceMs?: number }): Promise<void>;
}

/** Listens on `port` (0 picks a free one, as tests do) and closes gracefully. */
export function listen(app: Express, port: number, host?: string): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let closing = false;
    let dropIdle = false;
    const inFlight = new Set<ServerResponse>();
    const server = app.listen(port, host ?? '0.0.0.0', (error?: Error) => {
      if (error) return reject(error);
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}`,
        close: ({ idleGraceMs = 0 } = {}) =>
          new Promise<void>((done) => {
            closing = true;
            // Requests in flight finish, then their connections close: a client that keeps its
            // connection alive (the ingress does) must not be served on it until the deadline.
            for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
            if (idleGraceMs <= 0) {
              dropIdle = true;
              // Stop accepting, let requests in flight finish, drop idle keep-alive sockets.
              server.close(() => done());
              server.closeIdleConnections();
              return;
            }
            // http.Server#close also drops idle sockets at once (Node >= 19); the plain
            // net.Server close only stops accepting, and resolves when the last socket ends.
            netServerClose.call(server, () => done());
            setTimeout(() => server.closeIdleConnections(), idleGraceMs).unref();
          }),
      });
    });
    server.on('request', (_req, res: ServerResponse) => {
      if (closing) res.setHeader('Connection', 'close');
      inFlight.add(res);
      res.on('close', () => {
        inFlight.delete(res);
        // A response whose headers went out before the close began left a kept-alive socket.
        if (dropIdle) server.closeIdleConnections();
      });
    });
    server.on('clientError', answerMalformedRequest);
    server.once('error', reject);
  });
}

const netServerClose = NetServer.prototype.close;

/**
 * Requests Node's parser refuses (a NUL or a line break in a header, a malformed request line)
 * never reach express: answer them in the API's error shape too, instead of a bare 400.
 */
function answerMalformedRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const body = JSON.stringify({ errors: [{ message: 'Malformed HTTP request' }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
