import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiClient } from '../../../../test-support/http.js';
import { ConflictError } from '../errors/http-errors.js';
import { signSession } from '../session/session-token.js';
import { createHttpApp, createMetricsApp, listen, type RunningServer } from './create-app.js';
import { requireAuth, signedInUser } from './current-user.js';
import { parseId, validate } from './validate.js';

const KEY = 'http-test-key-long-enough-for-hs256-0123456789';

describe('the shared HTTP pipeline', () => {
  let server: RunningServer;
  let api: ApiClient;
  let metrics: RunningServer;
  let metricsApi: ApiClient;
  let dbUp = true;

  beforeAll(async () => {
    const router = Router();
    router.post('/api/things', (req, res) => {
      const body = validate(
        z.object({ name: z.string().min(1), count: z.number().int() }),
        req.body,
      );
      res.status(201).json(body);
    });
    router.get('/api/things/:id', (req, res) => {
      res.json({ id: parseId(req.params.id, 'Thing') });
    });
    router.get('/api/conflict', () => {
      throw new ConflictError('Ticket is reserved');
    });
    router.get('/api/crash', async () => {
      throw new Error('secret internal detail: password=hunter2');
    });
    router.get('/api/me', requireAuth, (req, res) => {
      res.json(signedInUser(req));
    });
    const readinessChecks = {
      database: async () => {
        if (!dbUp) throw new Error('down');
      },
      bus: async () => undefined,
    };
    const app = createHttpApp({ routers: [router], jwtKey: KEY, readinessChecks });
    server = await listen(app, 0, '127.0.0.1');
    api = new ApiClient(server.url);
    metrics = await listen(createMetricsApp(readinessChecks), 0, '127.0.0.1');
    metricsApi = new ApiClient(metrics.url);
  });
  afterAll(async () => {
    await server?.close();
    await metrics?.close();
  });

  it('when a route is unknown, then 404 in the error shape', async () => {
    const res = await api.get('/api/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('when the JSON is malformed, then 400 in the error shape', async () => {
    const res = await api.request('POST', '/api/things', '{"name": ', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
  });

  it('when the body is over 100 kB, then 413', async () => {
    const res = await api.post('/api/things', { name: 'x'.repeat(101 * 1024), count: 1 });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toMatch(/100 kB/);
  });

  it('when the body is invalid, then 400 with one entry per invalid field', async () => {
    const res = await api.post('/api/things', { name: '', count: 'many' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'name', message: expect.any(String) },
      { field: 'count', message: expect.any(String) },
    ]);
    expect((await api.post('/api/things', { name: 'a', count: 2 })).status).toBe(201);
  });

  it('when a path id is malformed, then 404', async () => {
    expect((await api.get('/api/things/not-an-id')).status).toBe(404);
    const id = crypto.randomUUID();
    expect((await api.get(`/api/things/${id}`)).body).toEqual({ id });
  });

  it('when a handler throws an HttpError, then its status and message', async () => {
    const res = await api.get('/api/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket is reserved' }] });
  });

  it('when a handler throws anything else, then 500 without internals', async () => {
    const res = await api.get('/api/crash');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|stack|Error/);
  });

  it('when a protected route is called without a session, then 401; with one, the user', async () => {
    expect((await api.get('/api/me')).status).toBe(401);
    const token = await signSession({ id: 'u1', email: 'a@b.c', name: 'A' }, KEY, 60);
    const res = await api.get('/api/me', { authorization: `Bearer ${token}` });
    expect(res.body).toMatchObject({ id: 'u1', email: 'a@b.c', name: 'A' });
  });

  it('when a request id is given, then it is echoed; otherwise one is made', async () => {
    expect(
      (await api.get('/healthz', { 'x-request-id': 'abc-123' })).headers.get('x-request-id'),
    ).toBe('abc-123');
    expect((await api.get('/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a dependency is down, then /readyz is 503 (named on the metrics port only), while /healthz stays 200', async () => {
    expect((await api.get('/readyz')).body).toEqual({ status: 'ready' });
    expect((await metricsApi.get('/readyz')).body).toEqual({
      status: 'ready',
      checks: { database: 'ok', bus: 'ok' },
    });
    dbUp = false;
    const res = await api.get('/readyz');
    const detailed = await metricsApi.get('/readyz');
    dbUp = true;
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not ready' });
    expect(detailed.status).toBe(503);
    expect(detailed.body.checks).toEqual({ database: 'unavailable', bus: 'ok' });
    expect((await api.get('/healthz')).status).toBe(200);
  });

  it('when /metrics is scraped on the metrics port, then it has the HTTP latency histogram by route', async () => {
    await api.get('/api/conflict');
    const res = await metricsApi.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(
      /http_request_duration_seconds_bucket\{.*route="\/api\/conflict".*status="409"/,
    );
    expect(res.body).toMatch(/# TYPE outbox_backlog gauge/);
    expect(res.body).toMatch(/# TYPE event_dead_letters_total counter/);
    expect(res.body).toMatch(/# TYPE event_redeliveries_total counter/);
  });
});
