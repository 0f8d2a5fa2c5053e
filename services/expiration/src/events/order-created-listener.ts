import {
  Listener,
  Subjects,
  type Database,
  type EventData,
  type EventEnvelope,
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
 * Arms the expiry of each new order. The order is recorded with the inbox row; the job is
 * scheduled right after that commit, on every delivery of the event, a redelivery included.
 * That closes the one crash window (committed, not scheduled yet): the event was not acked, so
 * the bus delivers it again, the inbox skips the effect, and the job is scheduled then. The
 * scheduler dedupes per order id, so scheduling more than once is harmless. Done this way, the
 * listener works alike with a scheduler in Redis and one in this database, and never holds a
 * transaction open while it talks to Redis.
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

  override async handle(envelope: EventEnvelope<OrderCreated>): Promise<boolean> {
    const applied = await super.handle(envelope);
    // A failure here throws: the event is redelivered and scheduling tried again.
    await scheduleExpiration(this.db, this.scheduler, toNewOrder(envelope.data));
    return applied;
  }
}
