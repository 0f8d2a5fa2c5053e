import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Subjects } from '@ticketing/common';
import { outboxEvents } from '../../test-support/events.js';
import { ApiClient, eventually } from '../../test-support/http.js';
import { startMarketplace, type RunningMarketplace } from '../../test-support/marketplace.js';
import { hasNats, hasPostgres } from '../../test-support/servers.js';
import { acceptedBy, bearerOf } from '../../test-support/sessions-suite.js';
import { ticketBody } from '../../test-support/tickets.js';

let n = 0;
const password = 'password123';
const adminEmail = `admin${Date.now()}@example.com`;

/**
 * Suspension end to end (API.md v2 Users), on both wirings: auth suspends and revokes, and each
 * service ends what the user has running there on `user:suspended` — tickets withdraws their
 * available listings, orders cancels their unpaid orders — with no call between services.
 */
describe.skipIf(!hasPostgres).each([
  { wiring: 'local' as const, runs: true },
  { wiring: 'nats' as const, runs: hasNats },
])('suspension on the $wiring wiring', ({ wiring, runs }) => {
  let market: RunningMarketplace;
  let admin: ApiClient;

  async function signUp(name: string, email = `${name.toLowerCase()}${Date.now()}${n++}@ex.com`) {
    const api = new ApiClient(market.url);
    const res = await api.post('/api/users/signup', { email, password, name });
    expect(res.status).toBe(201);
    return { api, email, id: res.body.id as string, user: res.body };
  }

  async function list(seller: ApiClient) {
    const res = await seller.post('/api/tickets', ticketBody());
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** Orders `ticketId` once orders has heard of it. */
  async function order(buyer: ApiClient, ticketId: string) {
    const res = await eventually(
      () => buyer.post('/api/orders', { ticketId }),
      (r) => r.status !== 404,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    if (!runs) return;
    market = await startMarketplace(wiring, { ADMIN_EMAILS: ` Other@Example.com, ${adminEmail}` });
    admin = (await signUp('Admin', adminEmail.toUpperCase())).api;
  }, 120_000);
  afterAll(async () => market?.stop(), 60_000);

  it.runIf(runs)(
    'when an administrator suspends a user, then sign-in is 403, the token is refused everywhere, available listings are withdrawn and unpaid orders cancelled; lifting it restores sign-in only',
    async () => {
      const seller = await signUp('Seller');
      const victim = await signUp('Victim');
      const buyer = await signUp('Buyer');
      const onSale = await list(victim.api);
      const reservedByOther = await list(victim.api);
      const othersTicket = await list(seller.api);
      const unpaid = await order(victim.api, othersTicket);
      const buyersOrder = await order(buyer.api, reservedByOther);
      const stolen = bearerOf(victim.api);

      const found = await admin.get(
        `/api/users?email=${encodeURIComponent(victim.email.toUpperCase())}`,
      );
      expect(found.status).toBe(200);
      expect(found.body).toEqual([
        expect.objectContaining({ id: victim.id, suspended: false, roles: [], suspension: null }),
      ]);

      const suspended = await admin.post(`/api/users/${victim.id}/suspension`, {
        reason: '  Resold counterfeit tickets  ',
      });
      expect(suspended.status).toBe(200);
      expect(suspended.body).toMatchObject({
        id: victim.id,
        suspended: true,
        suspension: { reason: 'Resold counterfeit tickets', since: expect.any(String) },
      });
      expect(JSON.stringify(suspended.body)).not.toMatch(/hash|password/i);

      // Sign-in says so once the password matched; a wrong one learns nothing more.
      const signIn = await new ApiClient(market.url).post('/api/users/signin', {
        email: victim.email,
        password,
      });
      expect(signIn.status).toBe(403);
      expect(signIn.body).toEqual({ errors: [{ message: 'Account suspended' }] });
      const wrong = await new ApiClient(market.url).post('/api/users/signin', {
        email: victim.email,
        password: 'not the password',
      });
      expect(wrong.status).toBe(400);

      // The old token is refused by every service within API.md's 2 seconds.
      await eventually(
        () => acceptedBy(market.url, stolen),
        (seen) => Object.values(seen).every((accepted) => !accepted),
        2_000,
      );

      // Each service reacts on its own to user:suspended.
      const pub = new ApiClient(market.url);
      await eventually(
        async () => (await pub.get(`/api/tickets/${onSale}`)).body.status,
        (status) => status === 'withdrawn',
      );
      const unpaidRow = await eventually(
        async () =>
          (
            await market.db.orders.query<{ status: string; cancel_reason: string | null }>(
              'SELECT status, cancel_reason FROM orders WHERE id = $1',
              [unpaid],
            )
          ).rows[0]!,
        (row) => row.status === 'cancelled',
      );
      expect(unpaidRow.cancel_reason).toBe('suspended');
      // ...which frees the ticket they held, for everyone else.
      await eventually(
        async () => (await pub.get(`/api/tickets/${othersTicket}`)).body.status,
        (status) => status === 'available',
      );
      // Someone else's order for the suspended seller's ticket stands.
      expect((await pub.get(`/api/tickets/${reservedByOther}`)).body.status).toBe('reserved');
      expect((await buyer.api.get(`/api/orders/${buyersOrder}`)).body.status).toBe('created');

      // Suspending again changes nothing and publishes nothing more; the event carries no email.
      expect(
        (await admin.post(`/api/users/${victim.id}/suspension`, { reason: 'again' })).body
          .suspension.reason,
      ).toBe('Resold counterfeit tickets');
      const events = (await outboxEvents(market.db.auth, { subject: Subjects.UserSuspended }))
        .map((e) => e.data as { userId: string })
        .filter((e) => e.userId === victim.id);
      expect(events).toEqual([
        {
          userId: victim.id,
          reason: 'Resold counterfeit tickets',
          suspendedAt: expect.any(String),
        },
      ]);
      expect(JSON.stringify(events)).not.toContain(victim.email);

      // Lifting it: sign-in works again, the new token everywhere; withdrawn stays withdrawn.
      const lifted = await admin.delete(`/api/users/${victim.id}/suspension`);
      expect(lifted.status).toBe(200);
      expect(lifted.body).toMatchObject({ id: victim.id, suspended: false, suspension: null });
      const again = new ApiClient(market.url);
      expect(
        (await again.post('/api/users/signin', { email: victim.email, password })).status,
      ).toBe(200);
      expect(await acceptedBy(market.url, bearerOf(again))).toEqual({
        auth: true,
        tickets: true,
        sales: true,
        orders: true,
        payments: true,
        notifications: true,
      });
      expect(await acceptedBy(market.url, stolen)).toMatchObject({ auth: false, tickets: false });
      expect((await pub.get(`/api/tickets/${onSale}`)).body.status).toBe('withdrawn');
      const reinstated = await outboxEvents(market.db.auth, { subject: Subjects.UserReinstated });
      expect(reinstated.map((e) => e.data)).toContainEqual({
        userId: victim.id,
        reinstatedAt: expect.any(String),
      });
    },
    60_000,
  );

  it.runIf(runs)(
    'when anyone but an administrator uses the admin routes, then 401 signed out and 403 signed in; bad input after that is 400 or 404',
    async () => {
      const target = await signUp('Target');
      const other = await signUp('Other');
      const anonymous = new ApiClient(market.url);
      const lookup = `/api/users?email=${encodeURIComponent(target.email)}`;
      const suspension = `/api/users/${target.id}/suspension`;
      for (const [client, status] of [
        [anonymous, 401],
        [other.api, 403],
        [target.api, 403],
      ] as const) {
        expect((await client.get(lookup)).status).toBe(status);
        expect((await client.post(suspension, { reason: 'x' })).status).toBe(status);
        expect((await client.delete(suspension)).status).toBe(status);
        // Not an administrator is a 403 before the input is looked at.
        expect((await client.post('/api/users/nope/suspension', {})).status).toBe(status);
      }
      const denied = await other.api.get(lookup);
      expect(denied.body).toEqual({ errors: [{ message: 'Only administrators may do this' }] });
      expect((await admin.get('/api/users/currentuser')).body.currentUser.roles).toEqual(['admin']);

      expect((await admin.get('/api/users?email=nobody-here@example.com')).body).toEqual([]);
      expect((await admin.get('/api/users?email=not-an-email')).status).toBe(400);
      expect((await admin.get('/api/users')).status).toBe(400);
      expect((await admin.post(suspension, {})).body).toEqual({
        errors: [{ message: 'Reason is required', field: 'reason' }],
      });
      expect((await admin.post(suspension, { reason: 'x'.repeat(501) })).status).toBe(400);
      expect((await admin.post('/api/users/nope/suspension', { reason: 'x' })).status).toBe(404);
      expect(
        (
          await admin.post('/api/users/00000000-0000-4000-8000-000000000000/suspension', {
            reason: 'x',
          })
        ).status,
      ).toBe(404);
      expect((await admin.delete('/api/users/%ff/suspension')).status).toBe(404);
      const adminId = (await admin.get('/api/users/currentuser')).body.currentUser.id;
      const self = await admin.post(`/api/users/${adminId}/suspension`, { reason: 'x' });
      expect(self.status).toBe(403);
      expect(self.body).toEqual({ errors: [{ message: 'An administrator cannot be suspended' }] });
      // Nothing above suspended anyone.
      expect((await target.api.get('/api/users/currentuser')).body.currentUser.suspended).toBe(
        false,
      );
    },
    60_000,
  );
});
