import type { Migration } from '@ticketing/common';

export const authMigrations: Migration[] = [
  {
    id: '001_users',
    sql: `
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL,
        phone text,
        password_hash text NOT NULL,
        version int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      -- One account per email whatever its letter case, enforced where races cannot slip past.
      CREATE UNIQUE INDEX users_email_unique ON users (lower(email));`,
  },
  {
    id: '002_roles_and_suspension',
    sql: `
      -- Set at start from ADMIN_EMAILS (and at sign-up), so a response needs no configuration.
      ALTER TABLE users ADD COLUMN admin boolean NOT NULL DEFAULT false;
      ALTER TABLE users ADD COLUMN suspended_at timestamptz;
      ALTER TABLE users ADD COLUMN suspension_reason text;`,
  },
  {
    id: '003_password_reset_tokens',
    sql: `
      -- Only a SHA-256 of each token is kept: a copy of this table resets nobody's password.
      CREATE TABLE password_reset_tokens (
        token_hash text PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      );
      CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id)
        WHERE used_at IS NULL;`,
  },
];
