import {
  Listener,
  Subjects,
  logger,
  type Database,
  type EventData,
  type EventEnvelope,
  type Queryable,
  type Scheduler,
  type Subject,
} from '@ticketing/common';
import { upsertTicket } from '../data/replica-repository.js';
import {
  chargeCreated,
  orderCancelled,
  orderCompleted,
  orderCreated,
} from '../domain/order-events.js';
import { messages } from '../domain/messages.js';
import { isStale, notify, userKnown, type NotifyContext } from '../domain/notify.js';

/**
 * A listener of this service: the inbox row, the replica change and any notification with its
 * mail commit together (Listener), and the mail outbox is woken right after that commit.
 */
abstract class NotificationListener<S extends Subject> extends Listener<S> {
  constructor(
    db: Database,
    consumer: string,
    protected readonly ctx: NotifyContext,
  ) {
    super(db, consumer);
  }

  protected override async afterCommit(
    _data: EventData<S>,
    { applied }: { applied: boolean },
  ): Promise<void> {
    if (applied) this.ctx.mail.wake();
  }
}

export class UserCreatedListener extends NotificationListener<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;
  async onMessage(data: EventData<typeof Subjects.UserCreated>, tx: Queryable): Promise<void> {
    await userKnown(tx, this.ctx, data);
  }
}

export class UserUpdatedListener extends NotificationListener<typeof Subjects.UserUpdated> {
  readonly subject = Subjects.UserUpdated;
  async onMessage(data: EventData<typeof Subjects.UserUpdated>, tx: Queryable): Promise<void> {
    await userKnown(tx, this.ctx, data);
  }
}

type TicketEvent = EventData<typeof Subjects.TicketCreated>;
const ticketReplica = (data: TicketEvent) => ({
  id: data.id,
  title: data.title,
  venue: data.venue ?? null,
  startsAt: data.startsAt ? new Date(data.startsAt) : null,
  sellerId: data.userId,
  version: data.version,
});

export class TicketCreatedListener extends NotificationListener<typeof Subjects.TicketCreated> {
  readonly subject = Subjects.TicketCreated;
  async onMessage(data: TicketEvent, tx: Queryable): Promise<void> {
    await upsertTicket(tx, ticketReplica(data));
  }
}

export class TicketUpdatedListener extends NotificationListener<typeof Subjects.TicketUpdated> {
  readonly subject = Subjects.TicketUpdated;
  async onMessage(data: TicketEvent, tx: Queryable): Promise<void> {
    await upsertTicket(tx, ticketReplica(data));
  }
}

/** `reservation`, and arms the order's `reservation-ending` reminder. */
export class OrderCreatedListener extends NotificationListener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  constructor(
    db: Database,
    consumer: string,
    ctx: NotifyContext,
    private readonly scheduler: Scheduler,
  ) {
    super(db, consumer, ctx);
  }

  async onMessage(
    _data: EventData<typeof Subjects.OrderCreated>,
    tx: Queryable,
    envelope: EventEnvelope<typeof Subjects.OrderCreated>,
  ): Promise<void> {
    await orderCreated(tx, this.ctx, envelope);
  }

  /**
   * The reminder is scheduled after the commit that recorded it, never inside the transaction;
   * failing to (Redis down) is logged, and the sweep schedules it later.
   */
  protected override async afterCommit(
    data: EventData<typeof Subjects.OrderCreated>,
    delivery: { envelope: EventEnvelope<typeof Subjects.OrderCreated>; applied: boolean },
  ): Promise<void> {
    await super.afterCommit(data, delivery);
    const { occurredAt } = delivery.envelope;
    const remindAt = new Date(Date.parse(data.expiresAt) - this.ctx.reminderLeadMs);
    if (remindAt.getTime() > Date.parse(occurredAt) && !isStale(occurredAt)) {
      await this.scheduler
        .schedule(data.id, remindAt)
        .catch((error: unknown) =>
          logger.warn(
            { err: error, orderId: data.id },
            'reminder not scheduled now; the next sweep schedules it',
          ),
        );
    }
  }
}

/** `purchase` and `sale`, with charge:created (whichever comes second). */
export class OrderCompletedListener extends NotificationListener<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;
  async onMessage(
    _data: unknown,
    tx: Queryable,
    envelope: EventEnvelope<typeof Subjects.OrderCompleted>,
  ): Promise<void> {
    await orderCompleted(tx, this.ctx, envelope);
  }
}

export class ChargeCreatedListener extends NotificationListener<typeof Subjects.ChargeCreated> {
  readonly subject = Subjects.ChargeCreated;
  async onMessage(
    _data: unknown,
    tx: Queryable,
    envelope: EventEnvelope<typeof Subjects.ChargeCreated>,
  ): Promise<void> {
    await chargeCreated(tx, this.ctx, envelope);
  }
}

/** `expired`; drops the reminder of any cancelled order. */
export class OrderCancelledListener extends NotificationListener<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;
  async onMessage(
    _data: unknown,
    tx: Queryable,
    envelope: EventEnvelope<typeof Subjects.OrderCancelled>,
  ): Promise<void> {
    await orderCancelled(tx, this.ctx, envelope);
  }
}

/** `suspended`: one per suspension (a user suspended, reinstated and suspended again hears twice). */
export class UserSuspendedListener extends NotificationListener<typeof Subjects.UserSuspended> {
  readonly subject = Subjects.UserSuspended;
  async onMessage(
    data: EventData<typeof Subjects.UserSuspended>,
    tx: Queryable,
    envelope: EventEnvelope<typeof Subjects.UserSuspended>,
  ): Promise<void> {
    if (isStale(envelope.occurredAt)) return;
    const at = new Date(data.suspendedAt);
    // The reason is the administrator's text, when the contract carries it (issue 13).
    const { reason } = data as { reason?: string };
    await notify(
      tx,
      this.ctx,
      data.userId,
      `${data.userId}@${at.toISOString()}`,
      messages.suspended(at, reason, this.ctx.style),
    );
  }
}
