import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { deliver } from '../../../test-support/events.js';
import { eventually } from '../../../test-support/http.js';
import { saleStory, type SaleStory } from '../../../test-support/notifications.js';
import { hasPostgres } from '../../../test-support/servers.js';
import {
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { freePort, startSmtp, type TestSmtp } from '../../../test-support/smtp.js';
import { notificationsSettings } from './config.js';
import { createNotificationsService } from './service.js';

const CONSUMER = 'notifications';

/** The notifications service mailing through SMTP on `port`, retrying quickly. */
const startWithSmtp = (port: number, env: Record<string, string> = {}) =>
  startTestService(
    (deps) =>
      createNotificationsService(
        { ...deps, scheduler: () => DatabaseScheduler.create(deps.db) },
        testConfig(notificationsSettings, {
          SMTP_URL: `smtp://127.0.0.1:${port}`,
          MAIL_FROM: 'Ticketing <no-reply@tickets.example.com>',
          PUBLIC_URL: 'https://tickets.example.com',
          ...env,
        }),
        { mailOutbox: { backoffMs: [200, 400, 800], pollMs: 100 } },
      ),
    { name: 'notifications' },
  );

/** Users, ticket, order, charge and completion: a whole sale, as the bus brings it. */
async function sell(running: RunningTestService, story: SaleStory) {
  for (const event of [
    story.userCreated(story.seller),
    story.userCreated(story.buyer),
    story.ticketCreated(),
    story.orderCreated(),
    story.chargeCreated(),
    story.orderCompleted(),
  ]) {
    await deliver(running.bus, event, CONSUMER);
  }
}

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text;
const mailsFor = (smtp: TestSmtp, address: string) =>
  smtp.received.filter((m) => to(m) === address);

describe.skipIf(!hasPostgres)('Notification mail over a real SMTP server', () => {
  let smtp: TestSmtp;
  let running: RunningTestService;

  beforeAll(async () => {
    smtp = await startSmtp(0, (address) => address.startsWith('bounce-'));
    running = await startWithSmtp(smtp.port, { MAIL_TIME_ZONE: 'Europe/Paris' });
  });
  afterAll(async () => {
    await running?.stop();
    await smtp?.close();
  });

  it('when a ticket sells, then the buyer gets the receipt and the seller the sale, each at their own address', async () => {
    const story = saleStory({ last4: '4242' });

    await sell(running, story);

    await eventually(() => mailsFor(smtp, story.seller.email).length === 1, Boolean, 15_000);
    await eventually(() => mailsFor(smtp, story.buyer.email).length === 2, Boolean, 15_000);
    const receipt = mailsFor(smtp, story.buyer.email).find((m) =>
      m.subject?.startsWith('Receipt'),
    )!;
    expect(receipt.subject).toBe('Receipt: Jazz at the Hall');
    expect(receipt.from?.text).toContain('no-reply@tickets.example.com');
    // 18:30 UTC is 20:30 in Paris in June.
    for (const expected of [
      'Hello Bea Buyer',
      'Event: Jazz at the Hall',
      'Venue: Town Hall',
      'Date: Saturday, 5 June 2027 at 20:30 (Europe/Paris)',
      'Amount: $25.50',
      'Card: ending in 4242',
      `https://tickets.example.com/orders/${story.orderId}`,
    ]) {
      expect(receipt.text).toContain(expected);
    }
    expect(receipt.html).toContain('<th align="left" style="padding:2px 12px 2px 0">Venue</th>');
    expect(receipt.html).toContain(`href="https://tickets.example.com/orders/${story.orderId}"`);
    const sale = mailsFor(smtp, story.seller.email)[0]!;
    expect(sale.subject).toBe('Sold: Jazz at the Hall');
    expect(sale.text).toContain('Bea Buyer bought your ticket for $25.50.');
    // Neither mail carries a card number, only the last four digits on the buyer's own receipt.
    for (const mail of [receipt, sale]) {
      expect(`${mail.text}${String(mail.html)}`).not.toMatch(/\d{13,19}|\d{4}[ -]\d{4}[ -]\d{4}/);
    }
    expect(sale.text).not.toContain('4242');
  });

  it('when the payment event does not carry the last four digits, then the receipt leaves the card out', async () => {
    const story = saleStory({ last4: null });

    await sell(running, story);

    const receipt = await eventually(
      () => mailsFor(smtp, story.buyer.email).find((m) => m.subject?.startsWith('Receipt')),
      Boolean,
      15_000,
    );
    expect(receipt!.text).toContain('Amount: $25.50');
    expect(receipt!.text).not.toContain('Card:');
  });

  it('when the server refuses a recipient for good (5xx), then the failure is recorded and not retried', async () => {
    const story = saleStory();
    story.buyer.email = `bounce-${story.buyer.email}`;

    await sell(running, story);

    await eventually(() => mailsFor(smtp, story.seller.email).length === 1, Boolean, 15_000);
    const failed = await eventually(
      async () =>
        (
          await running.db.query<{ failedAt: Date | null; attempts: number; lastError: string }>(
            `SELECT failed_at AS "failedAt", attempts, last_error AS "lastError"
             FROM mail_outbox WHERE recipient = $1`,
            [story.buyer.email],
          )
        ).rows,
      (rows) => rows.length === 2 && rows.every((r) => r.failedAt !== null),
      15_000,
    );
    expect(failed.map((r) => r.lastError)).toEqual([
      expect.stringMatching(/^550/),
      expect.stringMatching(/^550/),
    ]);
    // Past several backoff periods, still one attempt each.
    await new Promise((r) => setTimeout(r, 1_500));
    const { rows } = await running.db.query<{ attempts: number }>(
      'SELECT attempts FROM mail_outbox WHERE recipient = $1',
      [story.buyer.email],
    );
    expect(rows.map((r) => r.attempts)).toEqual([1, 1]);
    expect(mailsFor(smtp, story.buyer.email)).toEqual([]);
  });
});

describe.skipIf(!hasPostgres)('Notification mail while the SMTP server is down', () => {
  it('when the server is down, then mails wait, and once it is up each arrives exactly once', async () => {
    const port = await freePort();
    const running = await startWithSmtp(port);
    let smtp: TestSmtp | undefined;
    try {
      const stories = [saleStory(), saleStory()];
      for (const story of stories) await sell(running, story);
      // Attempts fail while nothing listens; the mails are kept and stay due.
      await eventually(
        async () =>
          (
            await running.db.query<{ attempts: number }>(
              'SELECT attempts FROM mail_outbox WHERE sent_at IS NULL',
            )
          ).rows,
        (rows) => rows.length === 6 && rows.every((r) => r.attempts >= 2),
        15_000,
      );

      smtp = await startSmtp(port);

      await eventually(() => smtp!.received.length >= 6, Boolean, 20_000);
      // Past another backoff period: nothing comes twice.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(smtp.received).toHaveLength(6);
      for (const story of stories) {
        expect(mailsFor(smtp, story.seller.email).map((m) => m.subject)).toEqual([
          'Sold: Jazz at the Hall',
        ]);
        expect(
          mailsFor(smtp, story.buyer.email)
            .map((m) => m.subject)
            .sort(),
        ).toEqual(['Receipt: Jazz at the Hall', 'Reserved: Jazz at the Hall']);
      }
      expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(6);
    } finally {
      await running.stop();
      await smtp?.close();
    }
  }, 60_000);
});
