import type { Migration } from '@ticketing/common';

export const ordersMigrations: Migration[] = [
  {
    id: '001_tickets_replica_and_orders',
    sql: `
      -- What orders knows of each ticket, kept from ticket:created/ticket:updated in version order.
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        price integer NOT NULL CHECK (price > 0), -- cents
        user_id text NOT NULL, -- the seller
        version integer NOT NULL
      );
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        status text NOT NULL
          CHECK (status IN ('created', 'awaiting_payment', 'completed', 'cancelled')),
        expires_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- At most one order holds a ticket, whatever races the requests run: a completed order
      -- keeps holding it, since the ticket is sold for good. The database decides, not a read.
      CREATE UNIQUE INDEX orders_one_active_per_ticket ON orders (ticket_id)
        WHERE status IN ('created', 'awaiting_payment', 'completed');
      CREATE INDEX orders_by_user ON orders (user_id, created_at DESC);`,
  },
  {
    id: '002_unpaid_hold_slots_per_buyer',
    sql: `
      -- Each unpaid order of a buyer takes one of MAX_ACTIVE_ORDERS_PER_USER numbered slots; two
      -- orders racing for one slot cannot both commit, so the cap holds whatever runs in
      -- parallel, and a slot frees itself when its order is paid or cancelled.
      ALTER TABLE orders ADD COLUMN hold_slot integer;
      UPDATE orders o SET hold_slot = r.n
        FROM (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS n
              FROM orders WHERE status IN ('created', 'awaiting_payment')) r
        WHERE o.id = r.id;
      CREATE UNIQUE INDEX orders_one_unpaid_per_slot ON orders (user_id, hold_slot)
        WHERE status IN ('created', 'awaiting_payment');`,
  },
  {
    id: '003_ticket_event_and_status',
    sql: `
      -- v2: the replica also knows where and when the event is, and whether the seller withdrew
      -- the listing. Tickets replicated from the first release have no venue and no start: they
      -- stay null, and such a ticket is not orderable until its seller gives it a date.
      ALTER TABLE tickets ADD COLUMN venue text;
      ALTER TABLE tickets ADD COLUMN starts_at timestamptz;
      ALTER TABLE tickets ADD COLUMN status text NOT NULL DEFAULT 'available';`,
  },
  {
    id: '004_orders_cancel_reason',
    sql: `
      -- Why a cancelled order was cancelled, for ever: 'buyer', 'expired' or 'suspended'.
      ALTER TABLE orders ADD COLUMN cancel_reason text
        CHECK (cancel_reason IN ('buyer', 'expired', 'suspended'));
      -- Orders cancelled before this column existed: one cancelled before its window ended
      -- can only have been cancelled by its buyer; for the others the window's end is the
      -- likelier cause (docs/decisions: order cancel reasons).
      UPDATE orders
        SET cancel_reason = CASE WHEN expires_at > now() THEN 'buyer' ELSE 'expired' END
        WHERE status = 'cancelled';`,
  },
  {
    id: '005_orders_paid_at',
    sql: `
      -- v2: when a completed order was paid (the receipt's date, and the sale's). Orders
      -- completed before this column existed get the best time known: their creation.
      ALTER TABLE orders ADD COLUMN paid_at timestamptz;
      UPDATE orders SET paid_at = created_at WHERE status = 'completed';`,
  },
];
