import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects, createEnvelope } from '@ticketing/common';
import { deliver } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { bearer, newUser } from '../../../test-support/users.js';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { notificationsSettings } from './config.js';
import { createNotificationsService } from './service.js';

describe.skipIf(!hasPostgres)('Notifications routes (PostgreSQL, local bus)', () => {
  let running: RunningTestService;
  let api: ApiClient;
  let mailDir: string;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'notif-routes-'));
    running = await startTestService(
      (deps) =>
        createNotificationsService(
          { ...deps, scheduler: () => DatabaseScheduler.create(deps.db) },
          testConfig(notificationsSettings, { MAIL_DIR: mailDir }),
        ),
      { name: 'notifications' },
    );
    api = new ApiClient(running.url);
  });
  afterAll(async () => {
    await running?.stop();
    if (mailDir) await rm(mailDir, { recursive: true, force: true });
  });

  /** A user with `count` notifications (suspensions, a second apart), the newest last. */
  async function userWith(count: number) {
    const user = newUser('Nora');
    for (let i = 0; i < count; i++) {
      const suspendedAt = new Date(Date.now() - (count - i) * 1_000).toISOString();
      // The reason is in the contract from issue 13 on; a plain object, so either contract fits.
      const suspension = { userId: user.id, reason: 'Test', suspendedAt };
      await deliver(
        running.bus,
        createEnvelope(Subjects.UserSuspended, suspension),
        'notifications',
      );
    }
    return { user, headers: await bearer(user) };
  }

  it('when not signed in, then both routes answer 401', async () => {
    expect((await api.get('/api/notifications')).status).toBe(401);
    expect((await api.post('/api/notifications/read', { all: true })).status).toBe(401);
  });

  it('when listed, then newest first with the unread count, no-store, and only the caller’s', async () => {
    const { headers } = await userWith(3);
    await userWith(1);

    const res = await api.get('/api/notifications', headers);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(res.body.unread).toBe(3);
    expect(res.body.items).toHaveLength(3);
    const times = res.body.items.map((i: { createdAt: string }) => Date.parse(i.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(
      ['body', 'createdAt', 'id', 'kind', 'link', 'readAt', 'title'].sort(),
    );
  });

  it('when paginated, then limit and offset pick the page and the unread count stays the total', async () => {
    const { headers } = await userWith(3);
    const all = (await api.get('/api/notifications', headers)).body.items;

    const page = await api.get('/api/notifications?limit=2&offset=1', headers);

    expect(page.body.unread).toBe(3);
    expect(page.body.items.map((i: { id: string }) => i.id)).toEqual(
      all.slice(1, 3).map((i: { id: string }) => i.id),
    );
  });

  it('when some are marked read, then the count drops, unread=true hides them, and others’ ids change nothing', async () => {
    const { headers } = await userWith(3);
    const other = await userWith(1);
    const theirs = (await api.get('/api/notifications', other.headers)).body.items[0].id;
    const [first] = (await api.get('/api/notifications', headers)).body.items;

    const res = await api.post('/api/notifications/read', { ids: [first.id, theirs] }, headers);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unread: 2 });
    const unread = (await api.get('/api/notifications?unread=true', headers)).body;
    expect(unread.items.map((i: { id: string }) => i.id)).not.toContain(first.id);
    expect(unread.items).toHaveLength(2);
    const read = (await api.get('/api/notifications', headers)).body.items[0];
    expect(read.readAt).toEqual(expect.any(String));
    expect((await api.get('/api/notifications', other.headers)).body.unread).toBe(1);
  });

  it('when all are marked read, then none is unread, and repeating it is harmless', async () => {
    const { headers } = await userWith(2);

    expect((await api.post('/api/notifications/read', { all: true }, headers)).body).toEqual({
      unread: 0,
    });
    expect((await api.post('/api/notifications/read', { all: true }, headers)).body).toEqual({
      unread: 0,
    });
    expect((await api.get('/api/notifications?unread=true', headers)).body.items).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=1.5', 'offset'],
    ['unread=yes', 'unread'],
    ['limit=1&limit=2', 'limit'],
  ])('when the query has %s, then 400 naming %s', async (query, field) => {
    const res = await api.get(`/api/notifications?${query}`, await bearer(newUser()));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
  });

  it.each([
    [{}, undefined],
    [{ ids: [] }, 'ids'],
    [{ ids: 'abc' }, 'ids'],
    [{ ids: ['not-an-id'] }, 'ids.0'],
    [{ ids: Array.from({ length: 101 }, () => randomUUID()) }, 'ids'],
    [{ all: false }, 'all'],
    [{ all: true, ids: [randomUUID()] }, undefined],
    [{ all: true, extra: 1 }, undefined],
  ])('when the read body is %j, then 400', async (body, field) => {
    const res = await api.post('/api/notifications/read', body, await bearer(newUser()));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe(field);
  });

  it('when 100 ids are given, then they are accepted', async () => {
    const ids = Array.from({ length: 100 }, () => randomUUID());
    const res = await api.post('/api/notifications/read', { ids }, await bearer(newUser()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unread: 0 });
  });
});
