import pg from 'pg';
import type { ApiClient } from '../../test-support/http.js';

/** What a check found wrong, by invariant; empty when every invariant holds. */
export type Violations = Record<string, string[]>;

/** Who consumes each subject (README's table): each of its events must be in their inboxes. */
const CONSUMERS: Record<string, { producer: string; consumers: string[] }> = {
  'user:created': { producer: 'auth', consumers: ['tickets'] },
  'ticket:created': { producer: 'tickets', consumers: ['orders'] },
  'ticket:updated': { producer: 'tickets', consumers: ['orders'] },
  'order:created': { producer: 'orders', consumers: ['tickets', 'expiration', 'payments'] },
  'order:cancelled': { producer: 'orders', consumers: ['tickets', 'payments'] },
  'order:completed': { producer: 'orders', consumers: ['tickets', 'payments'] },
  'order:expired': { producer: 'expiration', consumers: ['orders'] },
  'charge:created': { producer: 'payments', consumers: ['orders'] },
};

/** Holds are judged this long after their end, for the event announcing their end to land. */
const SETTLE = "interval '3 seconds'";

interface Options {
  postgresUrl: string;
  natsUrl: string;
  prefix: string;
  /** The gateway, for the checks made through the API. */
  api: string;
  buyers: ApiClient[];
}

/** Reads every service's database and the API and lists what breaks an invariant. */
export async function checkInvariants(options: Options): Promise<Violations> {
  const services = ['auth', 'tickets', 'orders', 'payments', 'expiration'];
  const clients = new Map<string, pg.Client>();
  const violations: Violations = {};
  const report = (invariant: string, items: string[]) => {
    if (items.length)
      violations[invariant] = items
        .slice(0, 5)
        .concat(items.length > 5 ? [`… ${items.length} in all`] : []);
  };
  try {
    for (const service of services) {
      const client = new pg.Client({
        connectionString: `${options.postgresUrl}/${options.prefix}_${service}`,
      });
      await client.connect();
      clients.set(service, client);
    }
    const q = async <R extends pg.QueryResultRow>(service: string, sql: string) =>
      (await clients.get(service)!.query<R>(sql)).rows;

    // No event lost: every outbox sent, every event in every consumer's inbox, none dead-lettered.
    for (const service of services) {
      const [row] = await q<{ n: number }>(
        service,
        'SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL',
      );
      if (row!.n) report(`outbox of ${service} drained`, [`${row!.n} events not sent`]);
    }
    for (const [subject, { producer, consumers }] of Object.entries(CONSUMERS)) {
      const sent = await q<{ id: string }>(
        producer,
        `SELECT id FROM outbox WHERE subject = '${subject}'`,
      );
      for (const consumer of consumers) {
        const seen = new Set(
          (
            await q<{ event_id: string }>(
              consumer,
              `SELECT event_id FROM inbox WHERE subject = '${subject}'`,
            )
          ).map((r) => r.event_id),
        );
        report(
          `every ${subject} reached ${consumer}`,
          sent.filter((e) => !seen.has(e.id)).map((e) => e.id),
        );
      }
    }
    report('no dead letters', await deadLetters(options.natsUrl, options.prefix));

    const orders = await q<{
      id: string;
      ticket_id: string;
      status: string;
      version: number;
      held: boolean;
    }>(
      'orders',
      `SELECT id, ticket_id, status, version,
         status IN ('created', 'awaiting_payment') AND expires_at < now() - ${SETTLE} AS held
       FROM orders`,
    );
    const orderById = new Map(orders.map((o) => [o.id, o]));
    const tickets = await q<{
      id: string;
      status: string;
      order_id: string | null;
      price: number;
      version: number;
      lapsed: boolean;
    }>(
      'tickets',
      `SELECT id, status, order_id, price, version,
         status = 'reserved' AND (hold_expires_at IS NULL OR hold_expires_at < now() - ${SETTLE}) AS lapsed
       FROM tickets`,
    );
    const ticketById = new Map(tickets.map((t) => [t.id, t]));
    const charges = await q<{
      id: string;
      order_id: string;
      status: string;
      refund_id: string | null;
    }>('payments', 'SELECT id, order_id, status, refund_id FROM charges');

    // No double sale.
    const completedPerTicket = new Map<string, number>();
    for (const o of orders.filter((o) => o.status === 'completed'))
      completedPerTicket.set(o.ticket_id, (completedPerTicket.get(o.ticket_id) ?? 0) + 1);
    report(
      'no ticket sold twice',
      [...completedPerTicket].filter(([, n]) => n > 1).map(([t]) => t),
    );
    const keptPerOrder = new Map<string, number>();
    for (const c of charges.filter((c) => c.status === 'completed' && !c.refund_id))
      keptPerOrder.set(c.order_id, (keptPerOrder.get(c.order_id) ?? 0) + 1);
    report(
      'no order charged twice',
      [...keptPerOrder].filter(([, n]) => n > 1).map(([o]) => o),
    );

    // Every paid order completed and its ticket sold to it; every cancelled order's money back.
    const paidNotDone: string[] = [];
    const unrefunded: string[] = [];
    for (const c of charges.filter((c) => c.status === 'completed')) {
      const order = orderById.get(c.order_id);
      if (order?.status === 'cancelled' && !c.refund_id) unrefunded.push(`charge ${c.id}`);
      if (c.refund_id) continue;
      const ticket = order && ticketById.get(order.ticket_id);
      if (
        order?.status !== 'completed' ||
        ticket?.status !== 'sold' ||
        ticket.order_id !== order.id
      )
        paidNotDone.push(`order ${c.order_id}: ${order?.status}, ticket ${ticket?.status}`);
    }
    report('every paid order completed and sold', paidNotDone);
    report('every charge of a cancelled order refunded', unrefunded);
    report(
      'every completed order paid',
      orders.filter((o) => o.status === 'completed' && !keptPerOrder.has(o.id)).map((o) => o.id),
    );

    // No hold past its window still reserving a ticket.
    report(
      'no order holding past its window',
      orders.filter((o) => o.held).map((o) => o.id),
    );
    report(
      'no ticket reserved past its window',
      tickets.filter((t) => t.lapsed).map((t) => t.id),
    );

    // Replicas agree: orders' tickets, payments' orders, and tickets' holders with orders.
    const ticketReplica = await q<{ id: string; price: number; version: number }>(
      'orders',
      'SELECT id, price, version FROM tickets',
    );
    const replicaById = new Map(ticketReplica.map((t) => [t.id, t]));
    report(
      "orders' ticket replica agrees with tickets",
      tickets
        .filter((t) => {
          const r = replicaById.get(t.id);
          return !r || r.price !== t.price || r.version !== t.version;
        })
        .map((t) => `${t.id}: v${t.version} vs v${replicaById.get(t.id)?.version}`),
    );
    const orderReplica = await q<{ id: string; status: string; version: number }>(
      'payments',
      'SELECT id, status, version FROM orders',
    );
    const paymentsView = new Map(orderReplica.map((o) => [o.id, o]));
    report(
      "payments' order replica agrees with orders",
      orders
        .filter((o) => {
          const r = paymentsView.get(o.id);
          return !r || r.status !== o.status || r.version !== o.version;
        })
        .map((o) => `${o.id}: ${o.status} vs ${paymentsView.get(o.id)?.status}`),
    );
    report(
      'tickets agree with orders on who holds what',
      tickets
        .filter((t) => {
          if (t.status === 'available') return t.order_id !== null;
          const order = t.order_id ? orderById.get(t.order_id) : undefined;
          if (t.status === 'sold') return order?.status !== 'completed';
          return order?.status !== 'created' && order?.status !== 'awaiting_payment';
        })
        .map(
          (t) =>
            `${t.id}: ${t.status} by ${t.order_id} (${orderById.get(t.order_id ?? '')?.status})`,
        ),
    );

    // Through the API: each buyer's completed orders show a sold ticket and one kept charge.
    const apiWrong: string[] = [];
    for (const buyer of options.buyers) {
      const mine = await buyer.get('/api/orders?limit=100');
      if (mine.status !== 200) {
        apiWrong.push(`GET /api/orders answered ${mine.status}`);
        continue;
      }
      for (const order of mine.body as { id: string; status: string; ticket: { id: string } }[]) {
        if (order.status !== 'completed') continue;
        const ticket = await buyer.get(`/api/tickets/${order.ticket.id}`);
        const paid = await buyer.get(`/api/payments?orderId=${order.id}`);
        const kept = (paid.body as { status: string; refundId: string | null }[]).filter(
          (c) => c.status === 'completed' && !c.refundId,
        );
        if (ticket.body?.status !== 'sold' || ticket.body.orderId !== order.id || kept.length !== 1)
          apiWrong.push(
            `order ${order.id}: ticket ${ticket.body?.status}, ${kept.length} kept charges`,
          );
      }
    }
    report('the API agrees', apiWrong);
  } finally {
    await Promise.all([...clients.values()].map((c) => c.end().catch(() => undefined)));
  }
  return violations;
}

/** Messages in the deployment's dead-letter stream. */
async function deadLetters(natsUrl: string, prefix: string): Promise<string[]> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams
      .info(`${prefix.toUpperCase()}_DEADLETTER`)
      .catch(() => undefined);
    const n = info?.state.messages ?? 0;
    return n ? [`${n} messages in ${prefix.toUpperCase()}_DEADLETTER`] : [];
  } finally {
    await nc.close();
  }
}
