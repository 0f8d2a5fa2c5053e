import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings, createAuthService } from '@ticketing/auth';
import {
  buildOpenApiDocument,
  type OpenApiDocument,
  type Service,
  type ServiceDeps,
} from '@ticketing/common';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { SandboxPaymentProvider } from '@ticketing/common/sandbox-payments';
import { SERVICES, createGateway } from '@ticketing/distributed';
import { createExpirationService, expirationSettings } from '@ticketing/expiration';
import { createNotificationsService, notificationsSettings } from '@ticketing/notifications';
import { createOrdersService, ordersSettings } from '@ticketing/orders';
import { createPaymentsService, paymentsSettings } from '@ticketing/payments';
import { createTicketsService, ticketsSettings } from '@ticketing/tickets';
import { API_ROUTES } from '../../test-support/api-routes.js';
import { startEmbeddedProcess, stopEmbeddedProcess } from '../../test-support/embedded.js';
import { hasPostgres } from '../../test-support/servers.js';
import {
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../test-support/service-harness.js';

/**
 * Issue 10: the HTTP API described once, as an OpenAPI 3.1 document built from the services'
 * own descriptions (`routes/*-api-docs.ts`). Checked here: every route each service's express
 * router serves is an operation of the document and nothing else is; the document is valid
 * OpenAPI 3.1; the copy in the repository (client/lib/openapi.json) is current; and the embedded
 * app serves it at /api/openapi.json.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** What the walk reads of express 5's router layers. */
interface Layer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle?: { stack?: Layer[] };
  /** A `use` at the root (no path). */
  slash?: boolean;
  rawPath?: unknown;
}

/** `METHOD /path` of every route in `router` and the routers mounted in it, `:id` as express writes it. */
function routesOf(router: unknown): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = layer.route.path;
        if (typeof path !== 'string') throw new Error(`a route path that is not a string: ${path}`);
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') found.push(`${method.toUpperCase()} ${prefix}${path}`);
        }
      } else if (layer.handle?.stack) {
        if (!layer.slash && typeof layer.rawPath !== 'string')
          throw new Error(`a router mounted under ${String(layer.rawPath)}`);
        walk(layer.handle.stack, layer.slash ? prefix : `${prefix}${String(layer.rawPath)}`);
      }
    }
  };
  walk((router as { stack: Layer[] }).stack, '');
  return found.sort();
}

/** `METHOD /path` of every operation in `document`, its `{id}` written as express's `:id`. */
function operationsOf(document: OpenApiDocument): string[] {
  return Object.entries(document.paths ?? {})
    .flatMap(([path, item]) =>
      Object.keys(item ?? {})
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

const committedCopy = new URL('../../client/lib/openapi.json', import.meta.url);

describe.skipIf(!hasPostgres)('the OpenAPI document and the services it describes', () => {
  const running: RunningTestService[] = [];
  let services: Service[] = [];
  let document: OpenApiDocument;

  beforeAll(async () => {
    const factories: Record<string, (deps: ServiceDeps) => Promise<Service>> = {
      auth: (deps) => createAuthService(deps, testConfig(authSettings)),
      tickets: (deps) => createTicketsService(deps, testConfig(ticketsSettings)),
      orders: (deps) => createOrdersService(deps, testConfig(ordersSettings)),
      payments: (deps) =>
        createPaymentsService(
          { ...deps, paymentProvider: new SandboxPaymentProvider() },
          testConfig(paymentsSettings),
        ),
      expiration: (deps) =>
        createExpirationService(
          { ...deps, scheduler: () => DatabaseScheduler.create(deps.db) },
          testConfig(expirationSettings),
        ),
      notifications: (deps) =>
        createNotificationsService(
          { ...deps, scheduler: () => DatabaseScheduler.create(deps.db) },
          testConfig(notificationsSettings),
        ),
    };
    for (const [name, create] of Object.entries(factories)) {
      // One local bus for all of them: the first service's.
      running.push(await startTestService(create, { name, bus: running[0]?.bus }));
    }
    services = running.map((r) => r.service);
    document = buildOpenApiDocument(services.flatMap((s) => (s.api ? [s.api] : [])));
  }, 120_000);

  afterAll(async () => {
    // The first service's bus serves the others: it closes last.
    for (const r of running.reverse()) await r.stop();
  });

  it("when each service's express router is walked, then every route it serves is an operation of its own description, and it describes no other", () => {
    for (const service of services) {
      const described = buildOpenApiDocument(service.api ? [service.api] : []);
      expect(operationsOf(described), service.name).toEqual(routesOf(service.router));
    }
    // Not a vacuous walk: the services serve the whole API.
    expect(services.flatMap((s) => routesOf(s.router))).toHaveLength(26);
  });

  it('when every route of every service is listed, then the whole document has exactly those operations', () => {
    expect(operationsOf(document)).toEqual(services.flatMap((s) => routesOf(s.router)).sort());
  });

  it('when the document is validated against the OpenAPI 3.1 specification, then it is valid', async () => {
    expect(document.openapi).toBe('3.1.0');
    // The validator dereferences what it is given: a copy (as JSON, which it reads), so
    // `document` keeps its $refs.
    const copy = JSON.parse(JSON.stringify(document)) as Parameters<typeof validate>[0];
    const result = await validate(copy, { resolve: { external: false } });
    expect(result.valid, compileErrors(result)).toBe(true);
  });

  it('when each operation is read, then it answers JSON on success and every error in the Errors shape', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        if (!METHODS.includes(method)) continue;
        const where = `${method.toUpperCase()} ${path}`;
        const responses = Object.entries(
          (operation as { responses: Record<string, { content?: Record<string, unknown> }> })
            .responses,
        );
        const schemaOf = (r: { content?: Record<string, unknown> }) =>
          (r.content?.['application/json'] as { schema?: { $ref?: string } } | undefined)?.schema;
        if (!responses.some(([status, r]) => /^2\d\d$/.test(status) && schemaOf(r)))
          problems.push(`${where}: no 2xx with a JSON schema`);
        for (const [status, response] of responses) {
          if (!/^2/.test(status) && schemaOf(response)?.$ref !== '#/components/schemas/Errors')
            problems.push(`${where}: ${status} is not in the Errors shape`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('when the route list the fuzzer and the authorization matrix walk is compared, then it names the same operations, and those needing a session say so', () => {
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(operationsOf(document));
    for (const route of API_ROUTES) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths?.[path]?.[route.method.toLowerCase() as 'get'];
      const security = operation?.security;
      const needsSession = !!security && !security.some((s) => Object.keys(s).length === 0);
      expect(needsSession, `${route.method} ${route.path}`).toBe(route.access !== 'anyone');
    }
  });

  it('when the copy in the repository (client/lib/openapi.json) is compared, then it is the document the services describe (else: npm run openapi)', async () => {
    const committed: unknown = JSON.parse(await readFile(committedCopy, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});

describe('the OpenAPI document where it is served', () => {
  let child: ChildProcess | undefined;
  let dataDir = '';
  let url = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'openapi-embedded-'));
    const app = await startEmbeddedProcess(dataDir);
    child = app.child;
    url = app.url;
  }, 180_000);

  afterAll(async () => {
    if (child) await stopEmbeddedProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when GET /api/openapi.json is asked of the embedded app (npm start), then it answers the document as JSON, the same as the copy in the repository', async () => {
    const response = await fetch(`${url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const served = (await response.json()) as OpenApiDocument;
    expect(served.openapi).toBe('3.1.0');
    expect(served).toEqual(JSON.parse(await readFile(committedCopy, 'utf8')));
  });

  it('when the reference page /api-docs is opened in the embedded app, then it shows every operation of the document', async () => {
    const document = JSON.parse(await readFile(committedCopy, 'utf8')) as OpenApiDocument;
    const response = await fetch(`${url}/api-docs`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const operation of operationsOf(document)) {
      // The page's anchor of an operation: `GET /api/tickets/:id` → `get-api-tickets-id`.
      const anchor = operation
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/-$/, '');
      expect(html, operation).toContain(`id="${anchor}"`);
    }
  });

  it("when the local gateway routes by the distributed topology's table, then /api/openapi.json reaches the storefront, which serves the copy, and other unowned API paths stay a 404", async () => {
    // Each process of the table stood in for by a server that answers its name.
    const standIns = await Promise.all(
      SERVICES.map(async (spec) => {
        const server = createServer((_req, res) => res.end(spec.name));
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        return { spec, server, port: (server.address() as AddressInfo).port };
      }),
    );
    const gateway = createGateway(
      standIns.flatMap(({ spec, port }) =>
        (spec.route ? [spec.route, ...(spec.alsoRoutes ?? [])] : []).map((prefix) => ({
          prefix,
          ports: () => [port],
        })),
      ),
    );
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    const base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    try {
      expect(await (await fetch(`${base}/api/openapi.json`)).text()).toBe('client');
      expect(await (await fetch(`${base}/api-docs`)).text()).toBe('client');
      expect((await fetch(`${base}/api/openapi.yaml`)).status).toBe(404);
    } finally {
      gateway.close();
      gateway.closeAllConnections();
      for (const { server } of standIns) server.close();
    }
  });
});
