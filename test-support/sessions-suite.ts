import { expect, it } from 'vitest';
import { ApiClient, eventually } from './http.js';

let n = 0;
const password = 'password123';

/** The session token a client holds, replayed as a Bearer token as a thief who copied it would. */
export const bearerOf = (client: ApiClient): Record<string, string> => ({
  authorization: `Bearer ${client.cookie!.slice('session='.length)}`,
});

/**
 * Whether each service accepts `headers` as signed in, asked in a way that changes nothing: a
 * protected route with an invalid body answers 401 when signed out and 400 when signed in.
 */
export async function acceptedBy(
  base: string,
  headers: Record<string, string>,
): Promise<
  Record<'auth' | 'tickets' | 'sales' | 'orders' | 'payments' | 'notifications', boolean>
> {
  const api = new ApiClient(base);
  const [auth, tickets, sales, orders, payments, notifications] = await Promise.all([
    api.get('/api/users/currentuser', headers),
    api.post('/api/tickets', {}, headers),
    // Served by tickets under another path, behind the same revocation check.
    api.get('/api/sales', headers),
    api.get('/api/orders', headers),
    api.post('/api/payments', {}, headers),
    api.get('/api/notifications', headers),
  ]);
  for (const res of [tickets, sales, orders, payments, notifications]) {
    expect([200, 400, 401]).toContain(res.status);
  }
  return {
    auth: auth.body.currentUser !== null,
    tickets: tickets.status !== 401,
    sales: sales.status !== 401,
    orders: orders.status !== 401,
    payments: payments.status !== 401,
    notifications: notifications.status !== 401,
  };
}

const everywhere = {
  auth: true,
  tickets: true,
  sales: true,
  orders: true,
  payments: true,
  notifications: true,
};
const nowhere = {
  auth: false,
  tickets: false,
  sales: false,
  orders: false,
  payments: false,
  notifications: false,
};

/** Resolves once no service accepts `headers`, within API.md's 2 seconds. */
const refusedEverywhere = (base: string, headers: Record<string, string>) =>
  eventually(
    () => acceptedBy(base, headers),
    (seen) => Object.values(seen).every((accepted) => !accepted),
    2_000,
  );

/** A user signed in twice (two clients, two sessions), accepted everywhere at once. */
async function twoSessions(base: string) {
  const email = `revoke${Date.now()}${n++}@example.com`;
  const first = new ApiClient(base);
  expect((await first.post('/api/users/signup', { email, password, name: 'Rev' })).status).toBe(
    201,
  );
  const second = new ApiClient(base);
  expect((await second.post('/api/users/signin', { email, password })).status).toBe(200);
  return { first, second };
}

/**
 * Session revocation seen from outside, the same for both wirings: a signed-out token is refused
 * by every service as a Bearer token, the user's other sessions live on, sign-out-all ends them
 * all, and `restart` (every service stopped and started again) forgets none of it.
 */
export function sessionsSuite(base: () => string, restart: () => Promise<void>): void {
  it('when a user has just signed up, then the token works at once on every service', async () => {
    const { first } = await twoSessions(base());
    expect(await acceptedBy(base(), bearerOf(first))).toEqual(everywhere);
  });

  it('when a session signs out, then its token is refused by every service within 2 s, and the other session still works', async () => {
    const { first, second } = await twoSessions(base());
    const stolen = bearerOf(first);
    expect((await first.post('/api/users/signout')).status).toBe(200);
    await refusedEverywhere(base(), stolen);
    expect(await acceptedBy(base(), bearerOf(second))).toEqual(everywhere);
  });

  it('when the user signs out everywhere, then every session is refused by every service, and after a restart still is', async () => {
    const { first, second } = await twoSessions(base());
    const third = await twoSessions(base());
    const tokens = [bearerOf(first), bearerOf(second)];
    const single = bearerOf(third.first);
    expect((await first.post('/api/users/signout-all')).status).toBe(200);
    expect((await third.first.post('/api/users/signout')).status).toBe(200);
    for (const token of tokens) await refusedEverywhere(base(), token);
    await refusedEverywhere(base(), single);

    await restart();
    for (const token of [...tokens, single]) {
      expect(await acceptedBy(base(), token)).toEqual(nowhere);
    }
    expect(await acceptedBy(base(), bearerOf(third.second))).toEqual(everywhere);
  }, 180_000);
}
