import type { Migration } from '@ticketing/common';

export const paymentsMigrations: Migration[] = [
  {
    id: '001_orders_replica_and_charges',
    sql: `
      -- What payments knows of each order, kept from order:created/cancelled/completed in version
      -- order. Its status is orders' status, except awaiting_payment, which is set here while a
      -- charge is in flight.
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        ticket_id text NOT NULL,
        price integer NOT NULL CHECK (price > 0), -- cents
        status text NOT NULL
          CHECK (status IN ('created', 'awaiting_payment', 'completed', 'cancelled')),
        expires_at timestamptz NOT NULL,
        version integer NOT NULL
      );
      CREATE TABLE charges (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders (id),
        user_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('created', 'failed', 'completed')),
        amount integer NOT NULL CHECK (amount > 0), -- cents
        currency text NOT NULL,
        -- What the buyer paid with, kept only while the charge is in flight, so that a charge
        -- left unfinished can be asked about again with the very same request.
        source text,
        idempotency_key text NOT NULL UNIQUE,
        provider_id text,
        refund_id text,
        error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- At most one charge per order is in flight or has taken the money, whatever races the
      -- requests run; a failed charge does not count, so a declined buyer can try again.
      CREATE UNIQUE INDEX charges_one_live_per_order ON charges (order_id)
        WHERE status IN ('created', 'completed');
      CREATE INDEX charges_by_order ON charges (order_id, created_at DESC);
      CREATE INDEX charges_in_flight ON charges (created_at) WHERE status = 'created';
      CREATE INDEX charges_unrefunded ON charges (order_id)
        WHERE status = 'completed' AND refund_id IS NULL;`,
  },
  {
    id: '002_charges_last4',
    sql: `
      -- v2: the card's last four digits, as the provider reported them on the charge (a
      -- receipt shows them). Never the whole number. Null where the provider did not say, and
      -- on charges settled before this column existed.
      ALTER TABLE charges ADD COLUMN last4 text CHECK (last4 ~ '^[0-9]{4}$');`,
  },
];
