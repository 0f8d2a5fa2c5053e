import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mail } from './mail-outbox.js';

/** Delivers one mail; throws what nodemailer throws (with `responseCode` for SMTP refusals). */
export interface Mailer {
  /** Says where mail goes, for the start-up log line (never a password). */
  readonly description: string;
  send(mail: Mail & { id: string }): Promise<void>;
  close(): void;
}

export interface MailerSettings {
  /** `smtp://user:pass@host:port` or `smtps://…`; unset means files in `mailDir`. */
  smtpUrl?: string;
  /** Where each mail is written as a `.eml` file when there is no SMTP server. */
  mailDir: string;
  /** The From header, e.g. `Ticketing <no-reply@example.com>`. */
  from: string;
}

const headersOf = (mail: Mail & { id: string }, from: string) => ({
  from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  // Stable per outbox row, so a receiver can recognise a resend after a crash.
  messageId: `<${mail.id}@ticketing>`,
});

/**
 * Mail through nodemailer: over SMTP when `smtpUrl` is set, else written as `.eml` files (mode
 * 0600: a mail can hold a password-reset link) into `mailDir`, one per mail, named by time and id;
 * a mail whose file exists already is not written again (a resend after a crash).
 */
export function createMailer(settings: MailerSettings): Mailer {
  if (settings.smtpUrl) {
    const url = new URL(settings.smtpUrl);
    const transport = nodemailer.createTransport({
      url: settings.smtpUrl,
      // Fail fast while the server is down; the outbox retries with backoff.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return {
      description: `SMTP at ${url.protocol}//${url.hostname}:${url.port || 'default port'}`,
      async send(mail) {
        await transport.sendMail(headersOf(mail, settings.from));
      },
      close: () => transport.close(),
    };
  }
  const dir = resolve(settings.mailDir);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    description: `.eml files in ${dir} (set SMTP_URL to send mail)`,
    async send(mail) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Written already, by a process killed before the outbox recorded it sent: once is enough.
      const written = (await readdir(dir)).some((name) => name.endsWith(`-${mail.id}.eml`));
      if (written) return;
      const info = await transport.sendMail(headersOf(mail, settings.from));
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.id}.eml`;
      // Written aside then renamed, so a reader never sees half a mail.
      await writeFile(join(dir, `.${name}.tmp`), info.message as Buffer, { mode: 0o600 });
      await rename(join(dir, `.${name}.tmp`), join(dir, name));
    },
    close: () => transport.close(),
  };
}
