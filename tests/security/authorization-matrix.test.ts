import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSession } from '@ticketing/common';
import { API_ROUTES, isErrorShape } from '../../test-support/api-routes.js';
import { ApiClient, eventually } from '../../test-support/http.js';
import { startMarketplace, type RunningMarketplace } from '../../test-support/marketplace.js';
import { hasPostgres } from '../../test-support/servers.js';
import { TEST_JWT_KEY } from '../../test-support/service-harness.js';
import { ticketBody } from '../../test-support/tickets.js';

/**
 * Issue 14: the authorization matrix. Every route of API.md × every kind of caller → the status
 * API.md promises, as one table. "Owner" owns the resource in the path (or is the caller whose
 * data the route shows); a stranger is another signed-in user; the administrator is named in
 * ADMIN_EMAILS. Every forged or dead token — tampered, expired, revoked, `alg: none`, another
 * algorithm, another key — must be treated exactly as no token at all.
 */

type Role = 'anonymous' | 'owner' | 'stranger' | 'admin';
type Expected = Record<Role, number>;

const password = 'password123';
const ADMIN = `matrix-admin-${Date.now()}@example.com`;
const all = (status: number): Expected => ({
  anonymous: status,
  owner: status,
  stranger: status,
  admin: status,
});
const signedIn = (status: number, anonymous = 401): Expected => ({ ...all(status), anonymous });
const ownerOnly = (owner: number): Expected => ({
  anonymous: 401,
  owner,
  stranger: 403,
  admin: 403,
});
const adminOnly = (admin: number): Expected => ({
  anonymous: 401,
  owner: 403,
  stranger: 403,
  admin,
});

describe.skipIf(!hasPostgres)('authorization matrix: every route × every kind of caller', () => {
  let market: RunningMarketplace;
  const users: Record<'owner' | 'stranger' | 'admin' | 'seller', { id: string; email: string }> =
    {} as never;
  let revokedToken = '';

  const api = () => new ApiClient(market.url);

  /** A fresh session of `who` (each caller its own, so sign-outs in one row touch no other). */
  async function tokenOf(who: keyof typeof users): Promise<string> {
    const client = api();
    const res = await client.post('/api/users/signin', { email: users[who].email, password });
    expect(res.status).toBe(200);
    return client.cookie!.slice('session='.length);
  }

  async function signUp(name: string, email = `${name}-${randomUUID()}@example.com`) {
    const client = api();
    const res = await client.post('/api/users/signup', { email, password, name });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, email, client };
  }

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Every kind of caller: its role in the table, and the headers it sends. */
  const callers: Array<{
    name: string;
    role: Role;
    headers: () => Promise<Record<string, string>>;
  }> = [
    { name: 'anonymous', role: 'anonymous', headers: async () => ({}) },
    {
      name: 'owner (cookie)',
      role: 'owner',
      headers: async () => ({ cookie: `session=${await tokenOf('owner')}` }),
    },
    {
      name: 'owner (Bearer)',
      role: 'owner',
      headers: async () => bearer(await tokenOf('owner')),
    },
    { name: 'stranger', role: 'stranger', headers: async () => bearer(await tokenOf('stranger')) },
    { name: 'administrator', role: 'admin', headers: async () => bearer(await tokenOf('admin')) },
    {
      name: "tampered (owner's token, stranger's id, old signature)",
      role: 'anonymous',
      headers: async () => {
        const [head, payload, signature] = (await tokenOf('owner')).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        claims.sub = users.stranger.id;
        const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return bearer(`${head}.${forged}.${signature}`);
      },
    },
    {
      name: 'expired',
      role: 'anonymous',
      headers: async () =>
        bearer(
          await signSession({ ...users.owner, name: 'Owner' }, TEST_JWT_KEY, 60, {
            issuedAt: Date.now() - 3_600_000,
          }),
        ),
    },
    { name: 'revoked (signed out)', role: 'anonymous', headers: async () => bearer(revokedToken) },
    {
      name: 'alg: none',
      role: 'anonymous',
      headers: async () => {
        const [, payload] = (await tokenOf('owner')).split('.');
        const head = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
        return bearer(`${head}.${payload}.`);
      },
    },
    {
      name: 'HS512 with the right key',
      role: 'anonymous',
      headers: async () => bearer(await forge('HS512', TEST_JWT_KEY)),
    },
    {
      name: 'HS256 with another key',
      role: 'anonymous',
      headers: async () => bearer(await forge('HS256', 'another-key-long-enough-for-hs256-000000')),
    },
  ];

  /** A token with every claim a real one has, signed as given. */
  const forge = (alg: string, key: string) =>
    new SignJWT({ email: users.owner.email, name: 'Owner', sid: randomUUID() })
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setSubject(users.owner.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(key));

  // ---- fixtures, made afresh for each caller so no answer depends on an earlier one ---------

  async function listedBy(who: keyof typeof users): Promise<string> {
    const res = await api().post('/api/tickets', ticketBody({ code: 'SECRET-CODE' }), {
      ...bearer(await tokenOf(who)),
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** An order of the owner's for a ticket the seller lists, known to orders and payments. */
  async function ownersOrder(): Promise<string> {
    const ticketId = await listedBy('seller');
    const owner = bearer(await tokenOf('owner'));
    const order = await eventually(
      () => api().post('/api/orders', { ticketId }, owner),
      (r) => r.status !== 404,
    );
    expect(order.status).toBe(201);
    await eventually(
      () => api().get(`/api/payments?orderId=${order.body.id}`, owner),
      (r) => r.status === 200,
    );
    return order.body.id;
  }

  /** A ticket listed by `who` that orders already knows (orderable at once). */
  async function orderableOf(who: keyof typeof users): Promise<string> {
    const ticketId = await listedBy(who);
    await eventually(
      async () =>
        (await market.db.orders.query('SELECT 1 FROM tickets WHERE id = $1', [ticketId])).rowCount,
      (n) => n === 1,
    );
    return ticketId;
  }

  interface Row {
    method: string;
    path: string;
    /** The path (ids filled in) and body, made for one caller. */
    setup?: () => Promise<{ path?: string; body?: unknown }>;
    body?: () => unknown;
    expected: Expected;
  }

  const rows: Row[] = [
    {
      method: 'POST',
      path: '/api/users/signup',
      body: () => ({ email: `new-${randomUUID()}@example.com`, password, name: 'New' }),
      expected: all(201),
    },
    {
      method: 'POST',
      path: '/api/users/signin',
      body: () => ({ email: users.owner.email, password }),
      expected: all(200),
    },
    { method: 'POST', path: '/api/users/signout', expected: all(200) },
    { method: 'GET', path: '/api/users/currentuser', expected: all(200) },
    {
      method: 'PATCH',
      path: '/api/users/currentuser',
      body: () => ({ name: 'Renamed' }),
      expected: signedIn(200),
    },
    {
      method: 'PUT',
      path: '/api/users/currentuser/password',
      body: () => ({ currentPassword: password, newPassword: password }),
      expected: signedIn(200),
    },
    { method: 'POST', path: '/api/users/signout-all', expected: signedIn(200) },
    {
      method: 'POST',
      path: '/api/users/password-reset',
      body: () => ({ email: users.owner.email }),
      expected: all(202),
    },
    {
      method: 'POST',
      path: '/api/users/password-reset/confirm',
      body: () => ({ token: 'a'.repeat(43), password }),
      expected: all(400),
    },
    {
      method: 'GET',
      path: '/api/users',
      setup: async () => ({ path: `/api/users?email=${encodeURIComponent(users.owner.email)}` }),
      expected: adminOnly(200),
    },
    {
      method: 'POST',
      path: '/api/users/:id/suspension',
      setup: async () => ({ path: `/api/users/${(await signUp('subject')).id}/suspension` }),
      body: () => ({ reason: 'Matrix' }),
      expected: adminOnly(200),
    },
    {
      method: 'DELETE',
      path: '/api/users/:id/suspension',
      setup: async () => ({ path: `/api/users/${(await signUp('subject')).id}/suspension` }),
      expected: adminOnly(200),
    },
    {
      method: 'POST',
      path: '/api/tickets',
      body: () => ticketBody(),
      expected: signedIn(201),
    },
    { method: 'GET', path: '/api/tickets', expected: all(200) },
    {
      method: 'GET',
      path: '/api/tickets/:id',
      setup: async () => ({ path: `/api/tickets/${await listedBy('owner')}` }),
      expected: all(200),
    },
    {
      method: 'PUT',
      path: '/api/tickets/:id',
      setup: async () => ({ path: `/api/tickets/${await listedBy('owner')}` }),
      body: () => ticketBody({ title: 'Edited' }),
      expected: ownerOnly(200),
    },
    {
      method: 'DELETE',
      path: '/api/tickets/:id',
      setup: async () => ({ path: `/api/tickets/${await listedBy('owner')}` }),
      expected: ownerOnly(200),
    },
    { method: 'GET', path: '/api/sales', expected: signedIn(200) },
    {
      method: 'POST',
      path: '/api/orders',
      setup: async () => ({ body: { ticketId: await orderableOf('seller') } }),
      expected: signedIn(201),
    },
    {
      // The owner's own ticket: only others may order it.
      method: 'POST',
      path: '/api/orders',
      setup: async () => ({ body: { ticketId: await orderableOf('owner') } }),
      expected: { anonymous: 401, owner: 403, stranger: 201, admin: 201 },
    },
    { method: 'GET', path: '/api/orders', expected: signedIn(200) },
    {
      method: 'GET',
      path: '/api/orders/:id',
      setup: async () => ({ path: `/api/orders/${await ownersOrder()}` }),
      expected: ownerOnly(200),
    },
    {
      method: 'DELETE',
      path: '/api/orders/:id',
      setup: async () => ({ path: `/api/orders/${await ownersOrder()}` }),
      expected: ownerOnly(200),
    },
    {
      method: 'POST',
      path: '/api/payments',
      setup: async () => ({ body: { orderId: await ownersOrder(), token: 'tok_visa' } }),
      expected: ownerOnly(201),
    },
    {
      method: 'GET',
      path: '/api/payments',
      setup: async () => ({ path: `/api/payments?orderId=${await ownersOrder()}` }),
      expected: ownerOnly(200),
    },
    { method: 'GET', path: '/api/notifications', expected: signedIn(200) },
    {
      method: 'POST',
      path: '/api/notifications/read',
      body: () => ({ all: true }),
      expected: signedIn(200),
    },
  ];

  beforeAll(async () => {
    market = await startMarketplace('local', {
      ADMIN_EMAILS: ADMIN,
      RESET_MAX_PER_EMAIL: '10000',
      RESET_MAX_PER_IP: '10000',
      MAX_ACTIVE_ORDERS_PER_USER: '10000',
    });
    users.owner = await signUp('owner');
    users.stranger = await signUp('stranger');
    users.seller = await signUp('seller');
    users.admin = await signUp('admin', ADMIN);
    // A session of the owner's that signed out.
    const client = api();
    await client.post('/api/users/signin', { email: users.owner.email, password });
    revokedToken = client.cookie!.slice('session='.length);
    expect((await client.post('/api/users/signout')).status).toBe(200);
  }, 120_000);
  afterAll(async () => market?.stop(), 60_000);

  it('when the table is read, then it covers every route of API.md', () => {
    const covered = new Set(rows.map((r) => `${r.method} ${r.path}`));
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).filter((r) => !covered.has(r))).toEqual(
      [],
    );
  });

  it.each(rows.map((row) => [`${row.method} ${row.path}`, row] as const))(
    'when %s is called by each kind of caller, then each gets the status API.md promises',
    async (_name, row) => {
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const caller of callers) {
        const made = (await row.setup?.()) ?? {};
        const headers = await caller.headers();
        const body = made.body ?? row.body?.();
        const path = made.path ?? row.path;
        const res = await api().request(row.method, path, body, headers);
        seen.push(`${caller.name}: ${res.status}`);
        wanted.push(`${caller.name}: ${row.expected[caller.role]}`);
        if (res.status >= 400) expect(isErrorShape(res.body), JSON.stringify(res.body)).toBe(true);
        if (row.method === 'GET' && row.path === '/api/users/currentuser') {
          // Signed out is `currentUser: null`, never an error; a forged token is signed out.
          expect(res.body.currentUser === null, caller.name).toBe(caller.role === 'anonymous');
        }
        if (row.method === 'GET' && row.path === '/api/tickets/:id') {
          // The private code is shown to the seller only (before any sale).
          expect(res.body.code !== undefined, caller.name).toBe(caller.role === 'owner');
        }
      }
      expect(seen).toEqual(wanted);
    },
    120_000,
  );
});
