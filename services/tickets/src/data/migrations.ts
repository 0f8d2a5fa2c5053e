import type { Migration } from '@ticketing/common';

export const ticketsMigrations: Migration[] = [
  {
    id: '001_tickets',
    sql: `
      CREATE TABLE tickets (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        description text,
        -- Integer cents: 1,000,000.00 is 100,000,000, well inside int.
        price int NOT NULL CHECK (price > 0),
        -- Ids of other services are opaque strings (API.md), so they are text here.
        user_id text NOT NULL,
        status text NOT NULL DEFAULT 'available'
          CHECK (status IN ('available', 'reserved', 'sold')),
        order_id text,
        version int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A reserved or sold ticket always names its order; an available one never does.
        CONSTRAINT tickets_order_matches_status CHECK ((status = 'available') = (order_id IS NULL))
      );
      -- The two shapes of GET /api/tickets, newest first with the id as tiebreak: the public
      -- list (available only) and one seller's listings (any status).
      CREATE INDEX tickets_available_newest ON tickets (created_at DESC, id DESC)
        WHERE status = 'available';
      CREATE INDEX tickets_seller_newest ON tickets (user_id, created_at DESC, id DESC);

      -- Sellers' public names, replicated from user:created / user:updated.
      CREATE TABLE sellers (
        id text PRIMARY KEY,
        name text NOT NULL,
        version int NOT NULL
      );

      -- Orders known to be cancelled, so an order:created delivered after its own cancellation
      -- (retries make that possible) cannot reserve a ticket for an order that is already over.
      CREATE TABLE cancelled_orders (
        order_id text PRIMARY KEY,
        ticket_id text NOT NULL,
        cancelled_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
  {
    id: '002_ticket_hold_expiry',
    sql: `
      -- When the hold of a reserved ticket lapses (the order's expiresAt). Past it, the ticket is
      -- shown and listed as available even before order:cancelled arrives, as orders already
      -- lets the next buyer take it (docs/decisions: expiries outlive Redis).
      ALTER TABLE tickets ADD COLUMN hold_expires_at timestamptz;
      CREATE INDEX tickets_held_newest ON tickets (created_at DESC, id DESC)
        WHERE status = 'reserved';`,
  },
];
