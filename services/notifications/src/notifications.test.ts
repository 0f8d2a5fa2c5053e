import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MailOutbox,
  Subjects,
  createEnvelope,
  createMailer,
  type Database,
  type EventBus,
  type EventEnvelope,
  type Scheduler,
  type SchedulerFactory,
  type Service,
} from '@ticketing/common';
import { BullMqScheduler } from '@ticketing/common/bullmq';
import { DatabaseScheduler } from '@ticketing/common/database-scheduler';
import { LocalEventBus } from '@ticketing/common/local-bus';
import { NatsEventBus } from '@ticketing/common/nats';
import { openPostgres } from '@ticketing/common/postgres';
import { deliver } from '../../../test-support/events.js';
import { eventually } from '../../../test-support/http.js';
import {
  mailsTo,
  notificationCounts,
  notificationsOf,
  notified,
  saleStory,
  type SaleStory,
} from '../../../test-support/notifications.js';
import {
  NATS_URL,
  REDIS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  obliterateQueue,
  redisAvailable,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../../test-support/servers.js';
import {
  startTestService,
  testConfig,
  type RunningTestService,
} from '../../../test-support/service-harness.js';
import { notificationsSettings, type NotificationsConfig } from './config.js';
import type { NotifyContext } from './domain/notify.js';
import {
  ChargeCreatedListener,
  OrderCompletedListener,
  OrderCreatedListener,
} from './listeners/notification-listeners.js';
import { createNotificationsService } from './service.js';

const hasRedis = await redisAvailable();
const CONSUMER = 'notifications';
/** The reminder comes this long before a reservation ends, in these tests. */
const LEAD_SECONDS = 2;

interface Mode {
  name: string;
  enabled: boolean;
  /** A bus that outlives the service (its restarts), and how to end it. */
  openBus(): Promise<{ connect(): Promise<EventBus>; remove(): Promise<void> }>;
  /**
   * Where pending reminders wait, as this wiring's host chooses: `scheduler(db)` is what the
   * service on `db` is given (one queue for every run of one store), `cleanup` removes the store.
   */
  schedulerStore(): { scheduler(db: Database): SchedulerFactory; cleanup(): Promise<void> };
}

const modes: Mode[] = [
  {
    name: 'embedded wiring: local bus, reminders in the database',
    enabled: hasPostgres,
    async openBus() {
      const url = uniqueDatabaseUrl('notif_bus');
      const db = await openPostgres(url);
      return {
        connect: () => LocalEventBus.open(db),
        async remove() {
          await db.close();
          await dropDatabase(url);
        },
      };
    },
    schedulerStore: () => ({
      scheduler: (db) => () => DatabaseScheduler.create(db),
      cleanup: async () => undefined,
    }),
  },
  {
    name: 'distributed wiring: NATS JetStream, reminders in BullMQ',
    enabled: hasPostgres && hasNats && hasRedis,
    async openBus() {
      const prefix = uniqueName('notif');
      return {
        connect: () => NatsEventBus.connect({ url: NATS_URL, prefix, ackWaitMs: 2_000 }),
        remove: () => deleteNatsStreams(prefix),
      };
    },
    schedulerStore() {
      const queueName = uniqueName('reminders');
      return {
        scheduler: () => (hooks) =>
          new BullMqScheduler({ url: REDIS_URL, queueName, prefix: 'test', ...hooks }),
        cleanup: () => obliterateQueue(queueName, 'test'),
      };
    },
  },
];

describe.each(modes)('Notifications service, $name', (mode) => {
  describe.skipIf(!mode.enabled)('one notification per cause', () => {
    const store = mode.schedulerStore();
    let config: NotificationsConfig;
    let busStore: Awaited<ReturnType<Mode['openBus']>>;
    let bus: EventBus;
    let running: RunningTestService;
    let scheduler: Scheduler;
    let mailDir: string;
    /** Listeners like the service's, to hand one event a second time (a redelivery). */
    let again: {
      orderCreated: OrderCreatedListener;
      orderCompleted: OrderCompletedListener;
      chargeCreated: ChargeCreatedListener;
    };

    beforeAll(async () => {
      mailDir = await mkdtemp(join(tmpdir(), 'notif-mail-'));
      config = testConfig(notificationsSettings, {
        MAIL_DIR: mailDir,
        RESERVATION_REMINDER_SECONDS: String(LEAD_SECONDS),
        PUBLIC_URL: 'https://tickets.example.com',
      });
      busStore = await mode.openBus();
      bus = await busStore.connect();
      running = await startTestService(
        async (deps) => {
          return createNotificationsService(
            {
              ...deps,
              scheduler: async (hooks) => (scheduler = await store.scheduler(deps.db)(hooks)),
            },
            config,
          );
        },
        { bus, name: 'notifications' },
      );
      const ctx: NotifyContext = {
        mail: new MailOutbox(running.db, createMailer({ mailDir, from: 'x@example.com' })),
        style: { publicUrl: config.PUBLIC_URL, timeZone: 'UTC' },
        reminderLeadMs: LEAD_SECONDS * 1_000,
      };
      again = {
        orderCreated: new OrderCreatedListener(running.db, CONSUMER, ctx, scheduler),
        orderCompleted: new OrderCompletedListener(running.db, CONSUMER, ctx),
        chargeCreated: new ChargeCreatedListener(running.db, CONSUMER, ctx),
      };
    });
    afterAll(async () => {
      await running?.stop();
      await bus?.close();
      await busStore?.remove();
      await store.cleanup();
      if (mailDir) await rm(mailDir, { recursive: true, force: true });
    });

    /** Users and the ticket, known to the service before the order. */
    async function introduce(story: SaleStory) {
      await deliver(bus, story.userCreated(story.seller), CONSUMER);
      await deliver(bus, story.userCreated(story.buyer), CONSUMER);
      await deliver(bus, story.ticketCreated(), CONSUMER);
    }

    const kinds = async (user: SaleStory['buyer']) =>
      (await notificationsOf(running.url, user)).items.map((i) => i.kind);

    it('when order:created arrives, then its buyer alone is told the ticket is reserved, once however often it comes', async () => {
      const story = saleStory();
      await introduce(story);
      const created = story.orderCreated();

      await deliver(bus, created, CONSUMER);
      expect(await again.orderCreated.handle(created)).toBe(false);
      // A second event for the same order (a producer's retry): a new id, the same cause.
      await deliver(bus, createEnvelope(Subjects.OrderCreated, created.data), CONSUMER);

      const mine = await notificationsOf(running.url, story.buyer);
      expect(mine.unread).toBe(1);
      expect(mine.items).toEqual([
        {
          id: expect.any(String),
          kind: 'reservation',
          title: 'Reserved: Jazz at the Hall',
          body: expect.stringContaining('pay by then'),
          link: `/orders/${story.orderId}`,
          createdAt: expect.any(String),
          readAt: null,
        },
      ]);
      expect(await kinds(story.seller)).toEqual([]);
      expect(await mailsTo(running.db, story.buyer.email)).toEqual(['Reserved: Jazz at the Hall']);
    });

    it('when a notification is made before its user is known here, then its mail goes out once the address arrives, once', async () => {
      const story = saleStory();
      await deliver(bus, story.userCreated(story.seller), CONSUMER);
      await deliver(bus, story.ticketCreated(), CONSUMER);
      await deliver(bus, story.orderCreated(), CONSUMER);
      expect(await kinds(story.buyer)).toEqual(['reservation']);
      expect(await mailsTo(running.db, story.buyer.email)).toEqual([]);

      await deliver(bus, story.userCreated(story.buyer), CONSUMER);
      await deliver(
        bus,
        createEnvelope(Subjects.UserUpdated, { ...story.buyer, name: 'Bea B', version: 1 }),
        CONSUMER,
      );

      expect(await mailsTo(running.db, story.buyer.email)).toEqual(['Reserved: Jazz at the Hall']);
    });

    it('when an order is paid, then the buyer gets one receipt and the seller one sale, whichever event comes first and however often', async () => {
      for (const completedFirst of [false, true]) {
        const story = saleStory();
        await introduce(story);
        await deliver(bus, story.orderCreated(), CONSUMER);
        const charge = story.chargeCreated();
        const completed = story.orderCompleted();
        const [first, second] = completedFirst ? [completed, charge] : [charge, completed];

        await deliver(bus, first, CONSUMER);
        expect(await kinds(story.buyer)).toEqual(['reservation']);
        await deliver(bus, second, CONSUMER);
        expect(await again.chargeCreated.handle(charge)).toBe(false);
        expect(await again.orderCompleted.handle(completed)).toBe(false);
        await deliver(bus, createEnvelope(Subjects.OrderCompleted, completed.data), CONSUMER);
        await deliver(bus, createEnvelope(Subjects.ChargeCreated, charge.data), CONSUMER);

        const buyer = await notificationsOf(running.url, story.buyer);
        expect(buyer.items.map((i) => i.kind)).toEqual(['purchase', 'reservation']);
        expect(buyer.items[0]).toMatchObject({
          title: 'Receipt: Jazz at the Hall',
          body: 'You paid $25.50 for your ticket. The order page has your ticket and its receipt.',
          link: `/orders/${story.orderId}`,
        });
        const seller = await notificationsOf(running.url, story.seller);
        expect(seller.items).toEqual([
          expect.objectContaining({
            kind: 'sale',
            title: 'Sold: Jazz at the Hall',
            body: 'Bea Buyer bought your ticket for $25.50.',
            link: `/tickets/${story.ticket.id}`,
          }),
        ]);
        expect(await mailsTo(running.db, story.buyer.email)).toEqual([
          'Reserved: Jazz at the Hall',
          'Receipt: Jazz at the Hall',
        ]);
        expect(await mailsTo(running.db, story.seller.email)).toEqual(['Sold: Jazz at the Hall']);
      }
    });

    it('when order:completed comes before its order:created, then it waits for it and the receipt still comes once', async () => {
      const story = saleStory();
      await introduce(story);
      // Refused (OutOfOrderError) and redelivered until the order is known.
      const early = [
        deliver(bus, story.chargeCreated(), CONSUMER),
        deliver(bus, story.orderCompleted(), CONSUMER),
      ];
      await deliver(bus, story.orderCreated(), CONSUMER);
      await Promise.all(early);

      await notified(running.url, story.buyer, ['purchase', 'reservation']);
      expect((await notificationCounts(running.db)).get(`purchase ${story.orderId}`)).toBe(1);
    }, 30_000);

    it('when a reservation runs out, then its buyer is told it expired; a buyer who cancelled is not', async () => {
      const lapsed = saleStory();
      const withdrawn = saleStory();
      for (const story of [lapsed, withdrawn]) {
        await introduce(story);
        await deliver(bus, story.orderCreated(), CONSUMER);
      }

      const expired = lapsed.orderCancelled('expired');
      await deliver(bus, expired, CONSUMER);
      await deliver(bus, createEnvelope(Subjects.OrderCancelled, expired.data), CONSUMER);
      await deliver(bus, withdrawn.orderCancelled('buyer'), CONSUMER);

      const told = await notificationsOf(running.url, lapsed.buyer);
      expect(told.items.map((i) => i.kind)).toEqual(['expired', 'reservation']);
      expect(told.items[0]).toMatchObject({
        title: 'Reservation expired: Jazz at the Hall',
        link: `/tickets/${lapsed.ticket.id}`,
      });
      expect(await kinds(withdrawn.buyer)).toEqual(['reservation']);
    });

    it('when a user is suspended, then they are told once per suspension', async () => {
      const story = saleStory();
      await introduce(story);
      const suspendedAt = new Date().toISOString();
      // With the administrator's reason, which the contract of issue 13 adds.
      const data = { userId: story.seller.id, reason: 'Tickets that did not exist', suspendedAt };
      const suspended = createEnvelope(Subjects.UserSuspended, data);

      await deliver(bus, suspended, CONSUMER);
      await deliver(bus, createEnvelope(Subjects.UserSuspended, { ...data }), CONSUMER);

      const told = await notificationsOf(running.url, story.seller);
      expect(told.items).toEqual([
        expect.objectContaining({
          kind: 'suspended',
          title: 'Your account has been suspended',
          link: null,
        }),
      ]);
      expect(await mailsTo(running.db, story.seller.email)).toEqual([
        'Your account has been suspended',
      ]);
    });

    it('when an unpaid reservation nears its end, then its buyer is reminded once; paid or cancelled first, no reminder', async () => {
      // Reminders come due 1.5 s from now (the window ends LEAD_SECONDS after that).
      const windowMs = LEAD_SECONDS * 1_000 + 1_500;
      // Reminders of the earlier tests' 15-minute orders stay pending meanwhile.
      const pendingBefore = await scheduler.pending();
      const unpaid = saleStory({ reservationMs: windowMs });
      const paid = saleStory({ reservationMs: windowMs });
      const cancelled = saleStory({ reservationMs: windowMs });
      for (const story of [unpaid, paid, cancelled]) {
        await introduce(story);
        await deliver(bus, story.orderCreated(), CONSUMER);
      }
      // A second delivery of the unpaid order's event arms nothing twice.
      await deliver(
        bus,
        createEnvelope(Subjects.OrderCreated, unpaid.orderCreated().data),
        CONSUMER,
      );
      await deliver(bus, paid.chargeCreated(), CONSUMER);
      await deliver(bus, paid.orderCompleted(), CONSUMER);
      await deliver(bus, cancelled.orderCancelled('buyer'), CONSUMER);

      const reminded = await notified(running.url, unpaid.buyer, ['reservation-ending']);
      expect(reminded.items[0]).toMatchObject({
        kind: 'reservation-ending',
        title: 'Your reservation ends soon: Jazz at the Hall',
        link: `/orders/${unpaid.orderId}`,
      });
      expect(Date.parse(reminded.items[0]!.createdAt)).toBeLessThan(
        Date.parse(unpaid.orderCreated().data.expiresAt),
      );
      // The three jobs have run (the dropped ones too): nothing is left to come.
      await eventually(
        () => scheduler.pending(),
        (n) => n === pendingBefore,
        20_000,
      );
      expect(await kinds(paid.buyer)).toEqual(['purchase', 'reservation']);
      expect(await kinds(cancelled.buyer)).toEqual(['reservation']);
      expect(
        (await notificationCounts(running.db)).get(`reservation-ending ${unpaid.orderId}`),
      ).toBe(1);
    }, 30_000);
  });

  it.skipIf(!mode.enabled)(
    'when the service restarts in the middle of a stream of sales, then every notification exists exactly once',
    async () => {
      const schedulerStore = mode.schedulerStore();
      const config = testConfig(notificationsSettings, {
        MAIL_DIR: await mkdtemp(join(tmpdir(), 'notif-mail-')),
      });
      const dbUrl = uniqueDatabaseUrl('notif_restart');
      const busStore = await mode.openBus();
      const boot = async () => {
        const db: Database = await openPostgres(dbUrl);
        const bus = await busStore.connect();
        const service: Service = await createNotificationsService(
          { db, bus, scheduler: schedulerStore.scheduler(db) },
          config,
        );
        await service.start();
        let stopped = false;
        return {
          db,
          bus,
          async stop() {
            if (stopped) return;
            stopped = true;
            await service.stop();
            await bus.close();
            await db.close();
          },
        };
      };
      const stories = Array.from({ length: 8 }, () => saleStory());
      const events = (story: SaleStory): EventEnvelope[] => [
        story.userCreated(story.seller),
        story.userCreated(story.buyer),
        story.ticketCreated(),
        story.orderCreated(),
        story.chargeCreated(),
        story.orderCompleted(),
      ];
      try {
        const first = await boot();
        let acked = 0;
        first.bus.on('acked', () => acked++);
        try {
          for (const story of stories) for (const e of events(story)) await first.bus.publish(e);
          // Stopped while part of the stream is handled and the rest is not.
          await eventually(() => acked >= 12, Boolean, 20_000);
          await first.stop();
          expect(acked).toBeLessThan(stories.length * 6);

          const second = await boot();
          try {
            const counts = await eventually(
              () => notificationCounts(second.db),
              (c) => c.size === stories.length * 3,
              30_000,
            );
            expect([...counts.values()].every((n) => n === 1)).toBe(true);
            for (const story of stories) {
              expect(counts.get(`purchase ${story.orderId}`)).toBe(1);
              expect(counts.get(`sale ${story.orderId}`)).toBe(1);
              expect(await mailsTo(second.db, story.seller.email)).toEqual([
                'Sold: Jazz at the Hall',
              ]);
              expect(await mailsTo(second.db, story.buyer.email)).toHaveLength(2);
            }
          } finally {
            await second.stop();
          }
        } finally {
          await first.stop();
        }
      } finally {
        await schedulerStore.cleanup();
        await busStore.remove();
        await dropDatabase(dbUrl);
        await rm(config.MAIL_DIR, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
