import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../test-support/http.js';
import { dropDatabase, hasPostgres, uniqueDatabaseUrl } from '../../../../test-support/servers.js';
import { freePort, startSmtp } from '../../../../test-support/smtp.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openPostgres } from '../db/postgres-database.js';
import { MailOutbox, mailMigrations, type Mail } from './mail-outbox.js';
import { createMailer } from './mailer.js';

const mailTo = (to: string, n: number): Mail => ({
  to,
  subject: `Hello ${n}`,
  text: `Body ${n} https://example.com/reset-password?token=secret${n}`,
});

describe.skipIf(!hasPostgres)('MailOutbox on PostgreSQL', () => {
  const url = uniqueDatabaseUrl('mail');
  let db: Database;
  let mailDir = '';

  beforeAll(async () => {
    db = await openPostgres(url);
    await migrate(db, mailMigrations);
    mailDir = await mkdtemp(join(tmpdir(), 'mail-'));
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(url);
    await rm(mailDir, { recursive: true, force: true });
  });

  it('when the SMTP server is down, then mails wait and, once it is up, each arrives exactly once', async () => {
    const port = await freePort();
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      mailDir,
      from: 'Ticketing <no-reply@example.com>',
    });
    // Two outboxes on one database: two replicas that must not both send a mail.
    const outboxes = [0, 1].map(
      () => new MailOutbox(db, mailer, { backoffMs: [200, 400, 800], pollMs: 100 }),
    );
    for (const o of outboxes) o.start();
    const ids = await db.transaction(async (tx) =>
      Promise.all([1, 2, 3].map((n) => outboxes[0]!.enqueue(tx, mailTo('ada@example.com', n)))),
    );
    outboxes[0]!.wake();
    // Attempts fail while nothing listens; they are counted and the mails stay due.
    await eventually(async () => {
      const { rows } = await db.query<{ attempts: number }>(
        'SELECT attempts FROM mail_outbox WHERE id = ANY($1)',
        [ids],
      );
      return rows.every((r) => r.attempts >= 2);
    });
    const smtp = await startSmtp(port);
    try {
      await eventually(() => smtp.received.length >= 3, Boolean, 15_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(smtp.received.map((m) => m.subject).sort()).toEqual(['Hello 1', 'Hello 2', 'Hello 3']);
      expect(smtp.received.map((m) => m.messageId).sort()).toEqual(
        ids.map((id) => `<${id}@ticketing>`).sort(),
      );
      expect(smtp.received[0]!.from?.text).toContain('no-reply@example.com');
      const { rows } = await db.query<{ sentAt: Date | null; bodyText: string }>(
        'SELECT sent_at AS "sentAt", body_text AS "bodyText" FROM mail_outbox WHERE id = ANY($1)',
        [ids],
      );
      // Sent, and the bodies (which can hold a reset link) are not kept.
      expect(rows.every((r) => r.sentAt !== null && r.bodyText === '')).toBe(true);
    } finally {
      for (const o of outboxes) await o.stop();
      mailer.close();
      await smtp.close();
    }
  }, 60_000);

  it('when the server refuses a recipient for good (5xx), then the failure is recorded and not retried', async () => {
    const port = await freePort();
    const smtp = await startSmtp(port, (to) => to.startsWith('nobody'));
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      mailDir,
      from: 'x@example.com',
    });
    const outbox = new MailOutbox(db, mailer, { backoffMs: [100], pollMs: 100 });
    outbox.start();
    try {
      const [refused, fine] = await db.transaction(async (tx) => [
        await outbox.enqueue(tx, mailTo('nobody@example.com', 4)),
        await outbox.enqueue(tx, mailTo('bob@example.com', 5)),
      ]);
      outbox.wake();
      const row = await eventually(
        async () =>
          (
            await db.query<{ failedAt: Date | null; attempts: number; lastError: string }>(
              `SELECT failed_at AS "failedAt", attempts, last_error AS "lastError"
                 FROM mail_outbox WHERE id = $1`,
              [refused],
            )
          ).rows[0]!,
        (r) => r.failedAt !== null,
      );
      expect(row.lastError).toMatch(/^550/);
      await eventually(() => smtp.received.some((m) => m.subject === 'Hello 5'));
      await new Promise((r) => setTimeout(r, 500));
      const again = await db.query<{ attempts: number }>(
        'SELECT attempts FROM mail_outbox WHERE id = $1',
        [refused],
      );
      expect(again.rows[0]!.attempts).toBe(1);
      expect(smtp.received.filter((m) => m.subject === 'Hello 4')).toEqual([]);
      expect(fine).toBeDefined();
    } finally {
      await outbox.stop();
      mailer.close();
      await smtp.close();
    }
  });

  it('when a mail is written to a file a second time (a resend after a crash), then there is still one file', async () => {
    const dir = join(mailDir, 'resend');
    const mailer = createMailer({ mailDir: dir, from: 'Ticketing <no-reply@example.com>' });
    const mail = { id: '3f0c5a2e-0000-4000-8000-000000000001', ...mailTo('eve@example.com', 7) };
    await mailer.send(mail);
    await mailer.send(mail);
    mailer.close();
    expect((await readdir(dir)).filter((f) => f.endsWith(`-${mail.id}.eml`))).toHaveLength(1);
  });

  it('when no SMTP server is configured, then each mail is written as a .eml file', async () => {
    const dir = join(mailDir, 'files');
    const mailer = createMailer({ mailDir: dir, from: 'Ticketing <no-reply@example.com>' });
    expect(mailer.description).toContain(dir);
    const outbox = new MailOutbox(db, mailer, { pollMs: 100 });
    outbox.start();
    try {
      const id = await db.transaction((tx) => outbox.enqueue(tx, mailTo('eve@example.com', 6)));
      outbox.wake();
      const files = await eventually(
        () => readdir(dir).catch(() => [] as string[]),
        (f) => f.some((name) => name.endsWith(`${id}.eml`)),
      );
      const parsed = await simpleParser(
        await readFile(
          join(
            dir,
            files.find((f) => f.endsWith(`${id}.eml`))!,
          ),
        ),
      );
      expect(parsed.subject).toBe('Hello 6');
      expect(parsed.text).toContain('token=secret6');
    } finally {
      await outbox.stop();
      mailer.close();
    }
  });
});
