import {
  Listener,
  Subjects,
  logger,
  type Database,
  type EventData,
  type Queryable,
  type Scheduler,
} from '@ticketing/common';
import { recordExpiration, scheduleExpiration } from '../domain/track-expiration.js';

type OrderCreated = typeof Subjects.OrderCreated;

const toNewOrder = (data: EventData<OrderCreated>) => ({
  orderId: data.id,
  expiresAt: new Date(data.expiresAt),
});

/**
 * Arms the expiry of each new order. The order is recorded with the inbox row: that row is the
 * promise, and the service's sweep schedules (or fires) every pending one. The job is also
 * scheduled right after that commit, so an expiry normally fires on time without waiting for a
 * sweep. Scheduling failing (Redis down) is logged, not thrown: the event is handled, and the
 * sweep arms the job once Redis is back, instead of the event being retried into the dead-letter
 * subject. The scheduler dedupes per order id, so scheduling more than once is harmless. The
 * listener never holds a transaction open while it talks to Redis.
 */
export class OrderCreatedListener extends Listener<OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  constructor(
    db: Database,
    consumer: string,
    private readonly scheduler: Scheduler,
  ) {
    super(db, consumer);
  }

  async onMessage(data: EventData<OrderCreated>, tx: Queryable): Promise<void> {
    await recordExpiration(tx, toNewOrder(data));
  }

  /** On every delivery, the first or a redelivery: the scheduler dedupes per order id. */
  protected override async afterCommit(
    data: EventData<OrderCreated>,
    { applied }: { applied: boolean },
  ): Promise<void> {
    await scheduleExpiration(this.db, this.scheduler, toNewOrder(data), {
      justRecorded: applied,
    }).catch((error: unknown) =>
      logger.warn(
        { err: error, orderId: data.id },
        'expiry not scheduled now; the next sweep schedules it',
      ),
    );
  }
}
