import { expect } from 'vitest';
import { ApiClient, eventually } from './http.js';
import { ticketBody } from './tickets.js';

let n = 0;
const email = (who: string) => `${who}${Date.now()}${n++}@example.com`;

export async function signedUpClient(baseUrl: string, name: string): Promise<ApiClient> {
  const api = new ApiClient(baseUrl);
  const res = await api.post('/api/users/signup', {
    email: email(name.toLowerCase()),
    password: 'password123',
    name,
  });
  expect(res.status).toBe(201);
  return api;
}

/**
 * The marketplace's core journey through the public API only, whatever runs behind `baseUrl`:
 * list, order (once the replica has caught up), reserved, refused to others, cancel, released,
 * edited, ordered again at the new price.
 */
export async function reservationJourney(baseUrl: string): Promise<void> {
  const seller = await signedUpClient(baseUrl, 'Seller');
  const buyer = await signedUpClient(baseUrl, 'Buyer');
  const rival = await signedUpClient(baseUrl, 'Rival');

  const listed = await seller.post(
    '/api/tickets',
    ticketBody({ title: 'Concert in the park', price: 25.5 }),
  );
  expect(listed.status).toBe(201);
  const ticketId: string = listed.body.id;

  // Orderable as soon as ticket:created has reached orders: retry the 404 meanwhile.
  const order = await eventually(
    () => buyer.post('/api/orders', { ticketId }),
    (r) => r.status !== 404,
  );
  expect(order.status).toBe(201);
  expect(order.body).toMatchObject({
    status: 'created',
    ticket: { id: ticketId, title: 'Concert in the park', price: 25.5 },
  });

  const reserved = await eventually(
    () => seller.get(`/api/tickets/${ticketId}`),
    (r) => r.body.status === 'reserved',
  );
  expect(reserved.body.orderId).toBe(order.body.id);
  expect(
    (await seller.put(`/api/tickets/${ticketId}`, ticketBody({ title: 'Changed', price: 99 })))
      .status,
  ).toBe(409);
  expect((await rival.post('/api/orders', { ticketId })).status).toBe(409);

  const cancelled = await buyer.delete(`/api/orders/${order.body.id}`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.status).toBe('cancelled');

  const released = await eventually(
    () => seller.get(`/api/tickets/${ticketId}`),
    (r) => r.body.status === 'available',
  );
  expect(released.body.orderId).toBeNull();
  const edited = await seller.put(
    `/api/tickets/${ticketId}`,
    ticketBody({ title: 'Concert in the park', price: 30 }),
  );
  expect(edited.status).toBe(200);
  expect(edited.body.version).toBe(released.body.version + 1);

  // The new price reaches orders' replica through ticket:updated, in version order.
  // An order placed before the edit arrived would show the old price: cancel it and try again.
  const again = await eventually(
    async () => {
      const res = await rival.post('/api/orders', { ticketId });
      if (res.status === 201 && res.body.ticket.price !== 30) {
        await rival.delete(`/api/orders/${res.body.id}`);
      }
      return res;
    },
    (r) => r.status === 201 && r.body.ticket.price === 30,
  );
  expect(again.body.ticket.price).toBe(30);
  const shown = await eventually(
    () => rival.get(`/api/tickets/${ticketId}`),
    (r) => r.body.seller?.name === 'Seller' && r.body.status === 'reserved',
  );
  expect(shown.body.status).toBe('reserved');
}
