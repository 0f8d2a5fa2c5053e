import { mailMigrations, type Migration } from '@ticketing/common';

export const notificationsMigrations: Migration[] = [
  ...mailMigrations,
  {
    id: '001_notifications',
    sql: `
      -- Replicas: each event carries the whole public state of its aggregate, so a row is
      -- replaced by any newer version and an older one is ignored.
      CREATE TABLE users (
        id text PRIMARY KEY,
        name text NOT NULL,
        email text,
        version integer NOT NULL
      );
      CREATE TABLE tickets (
        id text PRIMARY KEY,
        title text NOT NULL,
        venue text,
        starts_at timestamptz,
        seller_id text NOT NULL,
        version integer NOT NULL
      );
      -- What this service knows of each order: who buys which ticket, until when, and how it
      -- ended. remind_at is when its reservation-ending reminder is due (null: none is sent);
      -- reminded_at when that reminder was handled (sent, or found pointless).
      CREATE TABLE orders (
        id text PRIMARY KEY,
        buyer_id text NOT NULL,
        ticket_id text NOT NULL,
        price integer NOT NULL,
        expires_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('created', 'completed', 'cancelled')),
        cancel_reason text,
        remind_at timestamptz,
        reminded_at timestamptz
      );
      CREATE INDEX orders_pending_reminders ON orders (remind_at)
        WHERE status = 'created' AND remind_at IS NOT NULL AND reminded_at IS NULL;
      -- The successful charge of an order: the receipt's amount and card.
      CREATE TABLE charges (
        id text PRIMARY KEY,
        order_id text NOT NULL,
        amount integer NOT NULL,
        last4 text
      );
      CREATE INDEX charges_order ON charges (order_id);
      -- One notification per cause: (kind, cause) is unique, so however often the event that
      -- causes it is delivered, the second insert does nothing.
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        user_id text NOT NULL,
        kind text NOT NULL,
        cause text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        link text,
        -- the mail's list of facts (a receipt's lines), kept to mail it later when the user's
        -- address arrives after the notification
        facts jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        mail_id uuid,
        CONSTRAINT notifications_one_per_cause UNIQUE (kind, cause)
      );
      CREATE INDEX notifications_of_user ON notifications (user_id, created_at DESC, id);
      CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
      CREATE INDEX notifications_unmailed ON notifications (user_id) WHERE mail_id IS NULL;`,
  },
];
