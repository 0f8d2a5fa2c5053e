import { deflateSync } from 'node:zlib';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../../../../test-support/http.js';
import { rawRequest } from '../../../../test-support/raw-http.js';
import { priceSchema } from '../domain/money.js';
import { signSession } from '../session/session-token.js';
import { createHttpApp, createMetricsApp, listen, type RunningServer } from './create-app.js';
import { requireAuth } from './current-user.js';
import { parseId, validate } from './validate.js';

const KEY = 'guards-test-key-long-enough-for-hs256-0123456789';

/** What a 4xx must look like (API.md): `{"errors":[{"message", "field"?}]}`. */
const errorShape = z.object({
  errors: z
    .array(z.object({ message: z.string().min(1), field: z.string().optional() }).strict())
    .min(1),
});

describe('the shared pipeline refuses what the database or a header cannot hold', () => {
  let server: RunningServer;
  let metrics: RunningServer;
  let api: ApiClient;
  /** What the routes received: nothing unstorable may ever arrive here. */
  const received: unknown[] = [];

  beforeAll(async () => {
    const router = Router();
    router.post('/api/things', (req, res) => {
      const body = validate(
        z.object({ name: z.string().min(1), price: priceSchema.optional() }),
        req.body,
      );
      received.push(body);
      res.status(201).json(body);
    });
    router.get('/api/things', (req, res) => {
      received.push(req.query);
      res.json([]);
    });
    router.get('/api/things/:id', (req, res) => {
      res.json({ id: parseId(req.params.id, 'Thing') });
    });
    router.post('/api/users/signout', (_req, res) => {
      res.json({});
    });
    router.get('/api/users/currentuser', (_req, res) => {
      res.json({ currentUser: null });
    });
    router.get('/api/me', requireAuth, (_req, res) => {
      res.json({});
    });
    const checks = { database: async () => undefined };
    const app = createHttpApp({ routers: [router], jwtKey: KEY, readinessChecks: checks });
    server = await listen(app, 0, '127.0.0.1');
    metrics = await listen(createMetricsApp(checks), 0, '127.0.0.1');
    api = new ApiClient(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await metrics?.close();
  });

  const expectRefused = (res: { status: number; body: unknown }, status: number) => {
    expect(res.status).toBe(status);
    expect(errorShape.safeParse(res.body).success, JSON.stringify(res.body)).toBe(true);
  };

  it('when a string in the body holds a NUL or a lone surrogate, then 400 naming the field', async () => {
    const nul = await api.post('/api/things', { name: 'a\u0000b' });
    expectRefused(nul, 400);
    expect(nul.body.errors[0].field).toBe('name');
    const surrogate = await api.request(
      'POST',
      '/api/things',
      '{"name":"x","nested":{"deep":["ok","\\ud800"]}}',
      { 'content-type': 'application/json' },
    );
    expectRefused(surrogate, 400);
    expect(surrogate.body.errors[0].field).toBe('nested.deep.1');
    expect(received).toEqual([]);
  });

  it('when a body is nested deeper than any route reads (50,000 levels fit in 100 kB), then 400, on any method', async () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ]) {
      for (const depth of [33, 2_000, open === '[' ? 45_000 : 15_000]) {
        for (const method of ['POST', 'GET']) {
          const res = await rawRequest(
            server.url,
            { method, path: '/api/things', headers: { 'content-type': 'application/json' } },
            open!.repeat(depth) + '1' + close!.repeat(depth),
          );
          expectRefused({ status: res.status, body: res.json }, 400);
        }
      }
    }
    // 32 levels of nesting still pass the guard (and reach the route's own validation).
    const res = await api.request(
      'POST',
      '/api/things',
      '{"name":"x","n":' + '['.repeat(31) + ']'.repeat(31) + '}',
      {
        'content-type': 'application/json',
      },
    );
    expect(res.status).toBe(201);
    received.length = 0;
  });

  it('when the query holds a NUL or an escape that is not UTF-8, then 400', async () => {
    expectRefused(await api.get('/api/things?q=%00'), 400);
    expectRefused(await api.get('/api/things?q=%ff'), 400);
    expectRefused(await api.get('/api/things?q=%c0%ae'), 400);
    expectRefused(await api.get('/api/things?q=%'), 400);
    expect(received).toEqual([]);
    expect((await api.get('/api/things?q=caf%C3%A9+bar')).status).toBe(200);
    expect(received).toEqual([{ q: 'café bar' }]);
    received.length = 0;
  });

  it('when a path id has an undecodable escape or a NUL, then 404 (a malformed id)', async () => {
    for (const id of ['%ff', '%c0%ae', '%00', 'a%00b', '%E0%A4%A'])
      expectRefused(await api.get(`/api/things/${id}`), 404);
    expectRefused(await api.get('/nowhere/%ff'), 404);
  });

  it('when the body bytes are not UTF-8, then 400', async () => {
    const res = await rawRequest(
      server.url,
      { method: 'POST', path: '/api/things', headers: { 'content-type': 'application/json' } },
      Buffer.from([...Buffer.from('{"name":"'), 0xff, 0xfe, ...Buffer.from('"}')]),
    );
    expectRefused({ status: res.status, body: res.json }, 400);
  });

  it('when the charset is not UTF-8, then 415', async () => {
    const res = await api.request('POST', '/api/things', '{"name":"x"}', {
      'content-type': 'application/json; charset=latin1',
    });
    expectRefused(res, 415);
  });

  it('when the Content-Encoding is broken or unknown, then 400 or 415; a sound one is read', async () => {
    const broken = await rawRequest(
      server.url,
      {
        method: 'POST',
        path: '/api/things',
        headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
      },
      Buffer.from('this is not deflate at all'),
    );
    expectRefused({ status: broken.status, body: broken.json }, 400);
    const unknown = await rawRequest(
      server.url,
      {
        method: 'POST',
        path: '/api/things',
        headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
      },
      '{"name":"x"}',
    );
    expectRefused({ status: unknown.status, body: unknown.json }, 415);
    const sound = await rawRequest(
      server.url,
      {
        method: 'POST',
        path: '/api/things',
        headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' },
      },
      deflateSync('{"name":"inflated"}'),
    );
    expect(sound.status).toBe(201);
    received.length = 0;
  });

  it("when a header holds a NUL, then Node's parser's 400 is in the error shape", async () => {
    const res = await rawRequest(server.url, {
      method: 'GET',
      path: '/api/me',
      headers: { authorization: 'Bearer abc\u0000def' },
    });
    expectRefused({ status: res.status, body: res.json }, 400);
  });

  it('when a price rounds to 0 cents or carries float noise, then 400 on price', async () => {
    for (const price of [1e-9, 0.1 + 0.2, 10.0000000001, 19.999]) {
      const res = await api.post('/api/things', { name: 'x', price });
      expectRefused(res, 400);
      expect(res.body.errors[0].field, String(price)).toBe('price');
    }
    expect((await api.post('/api/things', { name: 'x', price: 19.99 })).body.price).toBe(1999);
    received.length = 0;
  });

  describe('cross-site requests (API.md v2)', () => {
    it('when a state-changing request comes from another site, then 403', async () => {
      const foreign: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { referer: 'https://evil.example/page' },
        { origin: `http://127.0.0.1.evil.example` },
      ];
      for (const headers of foreign) {
        expectRefused(await api.post('/api/users/signout', undefined, headers), 403);
      }
    });

    it('when it comes from this origin, or names none, then it goes through', async () => {
      const own = new URL(server.url).host;
      expect((await api.post('/api/users/signout', undefined, { origin: server.url })).status).toBe(
        200,
      );
      expect(
        (await api.post('/api/users/signout', undefined, { referer: `http://${own}/orders` }))
          .status,
      ).toBe(200);
      expect((await api.post('/api/users/signout')).status).toBe(200);
      // Reading is never refused: a link from another site still opens pages.
      expect(
        (await api.get('/api/users/currentuser', { origin: 'https://evil.example' })).status,
      ).toBe(200);
    });

    it('when a state-changing request has a body that is not JSON, then 415', async () => {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        expectRefused(
          await api.request('POST', '/api/users/signout', 'a=b', { 'content-type': type }),
          415,
        );
      }
      const res = await rawRequest(server.url, { method: 'POST', path: '/api/users/signout' }, 'x');
      expect(res.status).toBe(415);
    });
  });

  describe('exposure', () => {
    it('when /metrics is asked on the public origin, then 404; on the metrics port, the metrics', async () => {
      expectRefused(await api.get('/metrics'), 404);
      await api.get('/api/things/nothing');
      const res = await fetch(`${metrics.url}/metrics`);
      expect(await res.text()).toMatch(/http_request_duration_seconds_bucket/);
    });

    it('when /readyz is asked on the public origin, then only ready or not; details on the metrics port', async () => {
      expect((await api.get('/readyz')).body).toEqual({ status: 'ready' });
      expect(await (await fetch(`${metrics.url}/readyz`)).json()).toEqual({
        status: 'ready',
        checks: { database: 'ok' },
      });
    });

    it('when an API answer is sent, or anything to a signed-in user, then Cache-Control: no-store', async () => {
      expect((await api.get('/api/users/currentuser')).headers.get('cache-control')).toBe(
        'no-store',
      );
      expect((await api.get('/api/nowhere')).headers.get('cache-control')).toBe('no-store');
      const token = await signSession({ id: 'u1', email: 'a@b.c', name: 'A' }, KEY, 60);
      expect(
        (await api.get('/healthz', { authorization: `Bearer ${token}` })).headers.get(
          'cache-control',
        ),
      ).toBe('no-store');
    });
  });
});
