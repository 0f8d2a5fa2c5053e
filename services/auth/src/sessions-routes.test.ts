import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects } from '@ticketing/common';
import { outboxEvents } from '../../../test-support/events.js';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { authSettings } from './config.js';
import { createAuthService } from './service.js';

let n = 0;
const newEmail = () => `sess${Date.now()}${n++}@example.com`;
const password = 'correct horse battery';

/** The session token a client holds, to replay it as a Bearer token as a thief would. */
const bearerOf = (client: ApiClient) => ({
  authorization: `Bearer ${client.cookie!.slice('session='.length)}`,
});

describe.skipIf(!hasPostgres)('Sessions (auth on PostgreSQL)', () => {
  let auth: RunningTestService;
  beforeAll(async () => {
    auth = await startTestService(
      (deps) => createAuthService(deps, testConfig(authSettings, { SIGNUP_MAX_PER_IP: '1000' })),
      {
        name: 'auth_sessions',
      },
    );
  });
  afterAll(async () => auth?.stop());

  /** A user signed in twice: two clients, two sessions. */
  async function twoSessions() {
    const email = newEmail();
    const first = new ApiClient(auth.url);
    const signup = await first.post('/api/users/signup', { email, password, name: 'Sam' });
    expect(signup.status).toBe(201);
    const second = new ApiClient(auth.url);
    expect((await second.post('/api/users/signin', { email, password })).status).toBe(200);
    return { email, id: signup.body.id as string, first, second };
  }

  const whoIs = async (headers: Record<string, string>) =>
    (await new ApiClient(auth.url).get('/api/users/currentuser', headers)).body.currentUser;

  it('when a session signs out, then its token is refused as a Bearer token and the other session lives on', async () => {
    const { id, first, second } = await twoSessions();
    const stolen = bearerOf(first);
    expect((await whoIs(stolen)).id).toBe(id);
    expect((await first.post('/api/users/signout')).status).toBe(200);
    expect(await whoIs(stolen)).toBeNull();
    expect(
      (await new ApiClient(auth.url).patch('/api/users/currentuser', { name: 'X' }, stolen)).status,
    ).toBe(401);
    expect((await whoIs(bearerOf(second))).id).toBe(id);
    const [event] = await outboxEvents(auth.db, { subject: Subjects.SessionRevoked });
    expect(event).toBeDefined();
    const revoked = (await outboxEvents(auth.db, { subject: Subjects.SessionRevoked })).map(
      (e) => e.data as { userId: string; reason: string; sessionId: string | null },
    );
    const mine = revoked.filter((r) => r.userId === id);
    expect(mine).toEqual([
      expect.objectContaining({
        reason: 'signout',
        sessionId: expect.any(String),
        issuedBefore: null,
      }),
    ]);
    // Nothing secret travels: no token, no password.
    expect(JSON.stringify(mine)).not.toContain(stolen.authorization.slice(7));
  });

  it('when a profile change re-issues the cookie, then signing out still ends the older token too', async () => {
    const { first } = await twoSessions();
    const before = bearerOf(first);
    expect((await first.patch('/api/users/currentuser', { name: 'Renamed' })).status).toBe(200);
    expect(bearerOf(first)).not.toEqual(before);
    await first.post('/api/users/signout');
    expect(await whoIs(before)).toBeNull();
  });

  it('when the user signs out everywhere, then every session ends and a new sign-in works', async () => {
    const { email, id, first, second } = await twoSessions();
    const tokens = [bearerOf(first), bearerOf(second)];
    const res = await first.post('/api/users/signout-all');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(first.cookie).toBeUndefined();
    for (const token of tokens) expect(await whoIs(token)).toBeNull();
    const again = new ApiClient(auth.url);
    expect((await again.post('/api/users/signin', { email, password })).status).toBe(200);
    expect((await whoIs(bearerOf(again))).id).toBe(id);
  });

  it('when not signed in, then sign-out-all is 401 and sign-out still 200', async () => {
    const api = new ApiClient(auth.url);
    expect((await api.post('/api/users/signout-all')).status).toBe(401);
    expect((await api.post('/api/users/signout')).status).toBe(200);
  });

  describe('PUT /api/users/currentuser/password', () => {
    it('when the current password is right, then 200 with a new cookie for this session, and every other session is revoked', async () => {
      const { email, id, first, second } = await twoSessions();
      const oldFirst = bearerOf(first);
      const res = await first.put('/api/users/currentuser/password', {
        currentPassword: password,
        newPassword: 'a brand new secret',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, email });
      expect(bearerOf(first)).not.toEqual(oldFirst);
      expect((await whoIs(bearerOf(first))).id).toBe(id);
      expect(await whoIs(oldFirst)).toBeNull();
      expect(await whoIs(bearerOf(second))).toBeNull();
      const oldPassword = await new ApiClient(auth.url).post('/api/users/signin', {
        email,
        password,
      });
      expect(oldPassword.status).toBe(400);
      const newPassword = await new ApiClient(auth.url).post('/api/users/signin', {
        email,
        password: 'a brand new secret',
      });
      expect(newPassword.status).toBe(200);
    });

    it('when the current password is wrong, then 400 on currentPassword and nothing changes', async () => {
      const { email, first, second } = await twoSessions();
      const res = await first.put('/api/users/currentuser/password', {
        currentPassword: 'not my password',
        newPassword: 'a brand new secret',
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ message: 'Current password is wrong', field: 'currentPassword' }],
      });
      expect(await whoIs(bearerOf(second))).not.toBeNull();
      expect(
        (await new ApiClient(auth.url).post('/api/users/signin', { email, password })).status,
      ).toBe(200);
    });

    it('when the new password is too short or the body empty, then 400 per field; signed out, 401', async () => {
      const { first } = await twoSessions();
      const short = await first.put('/api/users/currentuser/password', {
        currentPassword: password,
        newPassword: 'short',
      });
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([
        { field: 'newPassword', message: expect.stringMatching(/8 to 128/) },
      ]);
      const empty = await first.put('/api/users/currentuser/password', {});
      expect(empty.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'currentPassword',
        'newPassword',
      ]);
      const anonymous = await new ApiClient(auth.url).put('/api/users/currentuser/password', {});
      expect(anonymous.status).toBe(401);
    });
  });
});
