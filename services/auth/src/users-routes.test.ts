import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Subjects, signSession } from '@ticketing/common';
import { outboxEvents } from '../../../test-support/events.js';
import {
  startTestEmbeddedServer,
  type TestEmbeddedServer,
} from '../../../test-support/embedded.js';
import { ApiClient } from '../../../test-support/http.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  TEST_JWT_KEY,
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { authSettings } from './config.js';
import { createAuthService } from './service.js';

let n = 0;
const newEmail = () => `user${Date.now()}${n++}@example.com`;
const signUpBody = (over: Record<string, unknown> = {}) => ({
  email: newEmail(),
  password: 'correct horse battery',
  name: 'Ada Lovelace',
  ...over,
});

// The same routes, migrations and repository on both servers: the local PostgreSQL 15
// (distributed) and the embedded mode's own PostgreSQL 18.
const engines = [
  { engine: 'PostgreSQL', embedded: false, enabled: hasPostgres },
  { engine: 'the embedded server', embedded: true, enabled: true },
];

describe.each(engines.filter((e) => e.enabled))(
  'Users routes (auth on $engine)',
  ({ embedded }) => {
    let auth: RunningTestService;
    let api: ApiClient;
    let server: TestEmbeddedServer | undefined;

    beforeAll(async () => {
      server = embedded ? await startTestEmbeddedServer() : undefined;
      auth = await startTestService(
        (deps) => createAuthService(deps, testConfig(authSettings, { SIGNUP_MAX_PER_IP: '1000' })),
        {
          databaseUrl: server?.urlFor('auth'),
          name: 'auth',
        },
      );
    });
    afterAll(async () => {
      await auth?.stop();
      await server?.stop();
    });
    beforeEach(() => {
      api = new ApiClient(auth.url);
    });

    describe('POST /api/users/signup', () => {
      it('when the body is valid, then 201 with the user, no password, and a session cookie', async () => {
        const body = signUpBody({ phone: '+14155550123' });
        const res = await api.post('/api/users/signup', body);
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          id: expect.any(String),
          email: body.email,
          name: body.name,
          phone: '+14155550123',
          roles: [],
          suspended: false,
        });
        expect(JSON.stringify(res.body)).not.toMatch(/password|hash|scrypt/i);
        const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
        expect(cookie).toMatch(/HttpOnly/i);
        expect(cookie).toMatch(/SameSite=Lax/i);
        expect(cookie).toMatch(/Secure/i);
        expect(cookie).toMatch(/Path=\//);
        expect(cookie).toMatch(/Max-Age=\d+/);
      });

      it('when every field is invalid, then 400 with one error per field', async () => {
        const res = await api.post('/api/users/signup', {
          email: 'nope',
          password: 'short',
          name: '',
          phone: '555',
        });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
          'email',
          'name',
          'password',
          'phone',
        ]);
        for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
        expect(res.headers.getSetCookie()).toEqual([]);
      });

      it('when the password is longer than 128 characters, then 400 on password', async () => {
        const res = await api.post('/api/users/signup', signUpBody({ password: 'x'.repeat(129) }));
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([
          { field: 'password', message: expect.stringMatching(/8 to 128/) },
        ]);
      });

      it('when the email is taken in another letter case, then 409', async () => {
        const body = signUpBody();
        expect((await api.post('/api/users/signup', body)).status).toBe(201);
        const res = await new ApiClient(auth.url).post('/api/users/signup', {
          ...body,
          email: body.email.toUpperCase(),
        });
        expect(res.status).toBe(409);
        expect(res.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
      });

      it('when ten sign-ups race for one email, then exactly one account is created', async () => {
        const body = signUpBody();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            new ApiClient(auth.url).post('/api/users/signup', {
              ...body,
              email: i % 2 ? body.email.toUpperCase() : body.email,
            }),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([201, ...Array(9).fill(409)]);
        const { rows } = await auth.db.query(
          'SELECT id FROM users WHERE lower(email) = lower($1)',
          [body.email],
        );
        expect(rows).toHaveLength(1);
      });

      it('when signed up, then the password is stored only as a salted scrypt hash', async () => {
        const body = signUpBody({ password: 'same password 123' });
        const other = signUpBody({ password: 'same password 123' });
        await api.post('/api/users/signup', body);
        await new ApiClient(auth.url).post('/api/users/signup', other);
        const { rows } = await auth.db.query<{ password_hash: string }>(
          'SELECT password_hash FROM users WHERE email = ANY($1) ORDER BY email',
          [[body.email, other.email]],
        );
        expect(rows).toHaveLength(2);
        for (const r of rows)
          expect(r.password_hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
        expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
      });

      it('when signed up, then user:created is in the outbox with the public fields only', async () => {
        const res = await api.post('/api/users/signup', signUpBody());
        const events = await outboxEvents(auth.db, {
          subject: Subjects.UserCreated,
          id: res.body.id,
        });
        expect(events.map((e) => e.data)).toEqual([
          { id: res.body.id, name: 'Ada Lovelace', email: res.body.email, version: 0 },
        ]);
      });
    });

    describe('POST /api/users/signin', () => {
      it('when the credentials match, whatever the email case, then 200 with the user and a cookie', async () => {
        const body = signUpBody();
        await api.post('/api/users/signup', body);
        const client = new ApiClient(auth.url);
        const res = await client.post('/api/users/signin', {
          email: body.email.toUpperCase(),
          password: body.password,
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ email: body.email, name: body.name });
        expect(client.cookie).toBeDefined();
        expect((await client.get('/api/users/currentuser')).body.currentUser.email).toBe(
          body.email,
        );
      });

      it('when the password is wrong or the email unknown, then the same 400 for both', async () => {
        const body = signUpBody();
        await api.post('/api/users/signup', body);
        const wrong = await new ApiClient(auth.url).post('/api/users/signin', {
          email: body.email,
          password: 'wrong password',
        });
        const unknown = await new ApiClient(auth.url).post('/api/users/signin', {
          email: newEmail(),
          password: 'whatever1',
        });
        expect(wrong.status).toBe(400);
        expect(unknown.status).toBe(400);
        expect(wrong.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
        expect(unknown.body).toEqual(wrong.body);
        expect(wrong.headers.getSetCookie()).toEqual([]);
      });

      it('when fields are missing, then 400 per field', async () => {
        const res = await api.post('/api/users/signin', {});
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
          'email',
          'password',
        ]);
      });
    });

    describe('POST /api/users/signout', () => {
      it('when signed in, then 200 {} and the cookie is cleared', async () => {
        await api.post('/api/users/signup', signUpBody());
        const res = await api.post('/api/users/signout');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({});
        const cleared = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
        expect(cleared).toMatch(/^session=;/);
        expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
        expect((await api.get('/api/users/currentuser')).body).toEqual({ currentUser: null });
      });
    });

    describe('GET /api/users/currentuser', () => {
      it('when not signed in, then currentUser is null', async () => {
        const res = await api.get('/api/users/currentuser');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ currentUser: null });
      });

      it('when the JWT comes as a Bearer token, then it is the signed-in user', async () => {
        const signup = await api.post('/api/users/signup', signUpBody());
        const token = api.cookie!.slice('session='.length);
        const res = await new ApiClient(auth.url).get('/api/users/currentuser', {
          authorization: `Bearer ${token}`,
        });
        expect(res.body.currentUser).toEqual(signup.body);
      });

      it('when the token is tampered with, then signed out', async () => {
        await api.post('/api/users/signup', signUpBody());
        const [header, payload, signature] = api.cookie!.slice('session='.length).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        const forged = Buffer.from(
          JSON.stringify({ ...claims, sub: crypto.randomUUID() }),
        ).toString('base64url');
        const res = await new ApiClient(auth.url).get('/api/users/currentuser', {
          cookie: `session=${header}.${forged}.${signature}`,
        });
        expect(res.body).toEqual({ currentUser: null });
        const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
        const none = await new ApiClient(auth.url).get('/api/users/currentuser', {
          authorization: `Bearer ${unsigned}`,
        });
        expect(none.body).toEqual({ currentUser: null });
      });

      it('when the token has expired or was signed with another key, then signed out', async () => {
        const signup = await api.post('/api/users/signup', signUpBody());
        const expired = await signSession(signup.body, TEST_JWT_KEY, -60);
        const otherKey = await signSession(
          signup.body,
          'another-key-that-is-also-long-enough-0123456789',
          3600,
        );
        for (const token of [expired, otherKey]) {
          const res = await new ApiClient(auth.url).get('/api/users/currentuser', {
            authorization: `Bearer ${token}`,
          });
          expect(res.body).toEqual({ currentUser: null });
        }
        const valid = await signSession(signup.body, TEST_JWT_KEY, 60);
        const ok = await new ApiClient(auth.url).get('/api/users/currentuser', {
          authorization: `Bearer ${valid}`,
        });
        expect(ok.body.currentUser.id).toBe(signup.body.id);
      });
    });

    describe('PATCH /api/users/currentuser', () => {
      it('when not signed in, then 401', async () => {
        const res = await api.patch('/api/users/currentuser', { name: 'X' });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: [{ message: 'Not signed in' }] });
      });

      it('when name and phone change, then 200, the version grows and user:updated is recorded', async () => {
        const signup = await api.post('/api/users/signup', signUpBody());
        const res = await api.patch('/api/users/currentuser', {
          name: 'Ada King',
          phone: '+442071234567',
        });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ...signup.body, name: 'Ada King', phone: '+442071234567' });
        expect((await api.get('/api/users/currentuser')).body.currentUser.name).toBe('Ada King');
        const cleared = await api.patch('/api/users/currentuser', { phone: null });
        expect(cleared.body.phone).toBeNull();
        const events = await outboxEvents(auth.db, {
          subject: Subjects.UserUpdated,
          id: signup.body.id,
        });
        expect(events.map((e) => e.data)).toEqual([
          { id: signup.body.id, name: 'Ada King', email: signup.body.email, version: 1 },
          { id: signup.body.id, name: 'Ada King', email: signup.body.email, version: 2 },
        ]);
      });

      it('when the body is invalid or tries to change email or password, then 400 per field', async () => {
        await api.post('/api/users/signup', signUpBody());
        const bad = await api.patch('/api/users/currentuser', { name: '', phone: 'abc' });
        expect(bad.status).toBe(400);
        expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
          'name',
          'phone',
        ]);
        const forbidden = await api.patch('/api/users/currentuser', {
          email: 'x@example.com',
          password: 'newpassword1',
        });
        expect(forbidden.status).toBe(400);
        expect(forbidden.body.errors).toEqual([
          { field: 'email', message: 'Email cannot be changed here' },
          { field: 'password', message: 'Password cannot be changed here' },
        ]);
        const empty = await api.patch('/api/users/currentuser', {});
        expect(empty.status).toBe(400);
      });
    });
  },
);
