import type { Migration } from '@ticketing/common';

export const expirationMigrations: Migration[] = [
  {
    id: '001_expirations',
    sql: `
      -- One row per order whose window is tracked. The scheduler (Redis or this database's
      -- scheduled_jobs table) decides when; this table decides whether: order:expired is
      -- recorded only by the job that sets expired_at.
      CREATE TABLE expirations (
        order_id text PRIMARY KEY,
        expires_at timestamptz NOT NULL,
        expired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );`,
  },
];
