import type { Migration } from '../db/migrate.js';

/** The outbox and inbox tables every service database carries beside its own. */
export const messagingMigrations: Migration[] = [
  {
    id: '000_outbox_inbox',
    sql: `
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        subject text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
      CREATE TABLE inbox (
        event_id text PRIMARY KEY,
        subject text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
  {
    // The relay claims a batch with a lease instead of holding a transaction open while it
    // publishes: a claim that outlives its lease (the relay died) is claimed again.
    id: '000_outbox_inbox_claims',
    sql: `ALTER TABLE outbox ADD COLUMN claimed_until timestamptz;`,
  },
];
