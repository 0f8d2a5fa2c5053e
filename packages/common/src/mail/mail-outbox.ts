import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';
import type { Migration } from '../db/migrate.js';
import { logger } from '../observability/logger.js';
import type { Mailer } from './mailer.js';

/** One mail to send: plain text, with an optional HTML alternative. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** The mail outbox table, in the database of each service that sends mail. */
export const mailMigrations: Migration[] = [
  {
    id: '000_mail_outbox',
    sql: `
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY,
        recipient text NOT NULL,
        subject text NOT NULL,
        body_text text NOT NULL,
        body_html text,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        failed_at timestamptz,
        last_error text
      );
      CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
        WHERE sent_at IS NULL AND failed_at IS NULL;`,
  },
];

export interface MailOutboxOptions {
  /** Delay before attempt N+1 after failed attempt N (ms; the last value repeats). */
  backoffMs?: number[];
  /** How often due mails are looked for besides `wake()` (ms). */
  pollMs?: number;
  /** Mails sent per pass (each pass holds their rows locked while it sends them). */
  batch?: number;
}

interface MailRow {
  id: string;
  recipient: string;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  attempts: number;
}

const DEFAULT_BACKOFF_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000, 300_000];

/** An SMTP reply code 5xx is a refusal that no retry will change (unknown mailbox, policy). */
const permanent = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

/** What is kept of a failure: the SMTP code and reply or the error code, never the mail itself. */
const describeFailure = (error: unknown): string => {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const text = e.responseCode ? `${e.responseCode} ${e.response ?? ''}` : (e.code ?? e.message);
  return String(text ?? 'unknown error').slice(0, 500);
};

/**
 * Mail that leaves through an outbox of its own, the same way events do: a use case records the
 * mail with `enqueue(tx, mail)` in the transaction of whatever caused it, so it exists if and only
 * if that committed; the outbox sends it afterwards (`wake()` right after the commit, and a slow
 * poll for anything a crash or an outage left).
 *
 * - Sending waits out an SMTP outage: a failed attempt is retried with backoff (`backoffMs`).
 * - A permanent refusal (SMTP 5xx) is recorded on the row (`failed_at`, `last_error`) and never
 *   retried.
 * - Sent once: rows are claimed with `FOR UPDATE SKIP LOCKED`, so replicas sharing the database
 *   never send the same mail; each carries a stable `Message-ID` (`<id@ticketing>`), so that the
 *   one duplicate a crash between the SMTP answer and the commit can cause is recognisable.
 * - Bodies are blanked once sent: a mail with a link in it (a password reset) does not linger.
 *
 * Used by auth (password reset) and by the notifications service:
 *
 *   const mailer = await createMailer({ smtpUrl, mailDir, from });   // ./mailer.ts
 *   const outbox = new MailOutbox(db, mailer);                        // migrations: mailMigrations
 *   outbox.start();
 *   await db.transaction(async (tx) => { ...; await outbox.enqueue(tx, mail); });
 *   outbox.wake();
 */
export class MailOutbox {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly backoffMs: number[];
  private readonly pollMs: number;
  private readonly batch: number;

  constructor(
    private readonly db: Database,
    private readonly mailer: Mailer,
    options: MailOutboxOptions = {},
  ) {
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.pollMs = options.pollMs ?? 1_000;
    this.batch = options.batch ?? 10;
  }

  /** Records `mail` inside the caller's transaction; returns its id. Call `wake()` after commit. */
  async enqueue(tx: Queryable, mail: Mail): Promise<string> {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO mail_outbox (id, recipient, subject, body_text, body_html)
       VALUES ($1, $2, $3, $4, $5)`,
      [id, mail.to, mail.subject, mail.text, mail.html ?? null],
    );
    return id;
  }

  /** Sends whatever is due now (after a commit that enqueued mail). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainAll().finally(() => (this.draining = undefined));
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops polling and waits for the pass in progress; the transport is the caller's to close. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.draining;
  }

  private async drainAll(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopped && (await this.drainOnce()) === this.batch);
      } while (this.again && !this.stopped);
    } catch (error) {
      logger.warn({ err: error }, 'mail outbox: pass failed, will retry');
    }
  }

  /** One pass: claims up to `batch` due mails, sends each, records each outcome. */
  private drainOnce(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<MailRow>(
        `SELECT id, recipient, subject, body_text AS "bodyText", body_html AS "bodyHtml", attempts
           FROM mail_outbox
          WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batch],
      );
      for (const row of rows) {
        try {
          await this.mailer.send({
            id: row.id,
            to: row.recipient,
            subject: row.subject,
            text: row.bodyText,
            html: row.bodyHtml ?? undefined,
          });
          await tx.query(
            `UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL,
                    body_text = '', body_html = NULL
              WHERE id = $1`,
            [row.id],
          );
          logger.info({ mailId: row.id }, 'mail sent');
        } catch (error) {
          const reason = describeFailure(error);
          if (permanent(error)) {
            await tx.query(
              `UPDATE mail_outbox SET failed_at = now(), attempts = attempts + 1, last_error = $2
                WHERE id = $1`,
              [row.id, reason],
            );
            logger.warn({ mailId: row.id, reason }, 'mail refused for good');
          } else {
            const delay =
              this.backoffMs[Math.min(row.attempts, this.backoffMs.length - 1)] ?? 60_000;
            await tx.query(
              `UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,
                      next_attempt_at = now() + make_interval(secs => $3)
                WHERE id = $1`,
              [row.id, reason, delay / 1000],
            );
            logger.warn({ mailId: row.id, reason, retryInMs: delay }, 'mail not sent, will retry');
          }
        }
      }
      return rows.length;
    });
  }
}
