import { PeriodicSweep, logger, type Database, type Scheduler } from '@ticketing/common';
import {
  findTicket,
  lockOrder,
  markReminded,
  pendingReminders,
} from '../data/replica-repository.js';
import { messages } from './messages.js';
import { notify, type NotifyContext } from './notify.js';

/**
 * The reminder of one order has come due: its buyer is told the reservation ends soon, once, if
 * the order is still unpaid and its window still open. An order paid or cancelled meanwhile, or
 * one already reminded, is left alone: that is how a reminder is dropped. Safe to run twice.
 */
export async function sendReminder(
  db: Database,
  ctx: NotifyContext,
  orderId: string,
): Promise<'sent' | 'dropped'> {
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || order.status !== 'created' || order.remindedAt) return 'dropped';
    await markReminded(tx, order.id);
    const ticket = await findTicket(tx, order.ticketId);
    if (!ticket || order.expiresAt.getTime() <= Date.now()) return 'dropped';
    const sent = await notify(
      tx,
      ctx,
      order.buyerId,
      order.id,
      messages.reservationEnding(order, ticket, ctx.style),
    );
    return sent ? 'sent' : 'dropped';
  });
}

/** Pending reminders read per sweep; more than this many open orders waits for the next one. */
const SWEEP_BATCH = 5_000;
/** How late a reminder must be before a sweep sends it itself rather than leave it to its job. */
const LATE_MS = 2_000;

/**
 * The `orders` table is the record of every pending reminder; the scheduler (Redis, or this
 * database's job table) is only its timer. Like the expiration service's sweep, this one sends
 * overdue reminders itself and schedules the others again (idempotent: the job id is the order
 * id), at start, every `intervalMs` and when `trigger()` is called (Redis came back).
 */
export class ReminderSweeper {
  private readonly turns: PeriodicSweep;

  constructor(
    private readonly db: Database,
    private readonly scheduler: Scheduler,
    private readonly send: (orderId: string) => Promise<unknown>,
    private readonly intervalMs: number,
  ) {
    this.turns = new PeriodicSweep('reminder sweep', intervalMs, () => this.sweep());
  }

  start(): void {
    this.turns.start();
  }

  /** Asks for a sweep now (or right after the one in progress). */
  trigger(): void {
    this.turns.trigger();
  }

  /** Stops sweeping and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.turns.stop();
  }

  /** One pass; resolves with what it did. */
  async sweep(): Promise<{ sent: number; scheduled: number }> {
    const pending = await pendingReminders(this.db, SWEEP_BATCH);
    const now = Date.now();
    let sent = 0;
    let scheduled = 0;
    for (const { orderId, remindAt } of pending) {
      if (this.turns.stopped) break;
      if (remindAt.getTime() <= now - LATE_MS) {
        await this.send(orderId);
        sent++;
        continue;
      }
      try {
        await this.scheduler.schedule(orderId, remindAt);
        scheduled++;
      } catch (error) {
        logger.warn({ err: error }, 'reminder sweep could not schedule; the next one will');
        break;
      }
    }
    return { sent, scheduled };
  }
}
