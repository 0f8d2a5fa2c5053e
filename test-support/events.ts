import type { BusEventMap, EventBus, EventEnvelope, Queryable, Subject } from '@ticketing/common';

/** Publishes, then waits for `consumer`'s ack (rejects on dead-letter): a fact, never a sleep. */
export function deliver(bus: EventBus, envelope: EventEnvelope, consumer: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown) => {
      bus.off('acked', onAck);
      bus.off('dead-lettered', onDead);
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    };
    const onAck = (fact: BusEventMap['acked'][0]) => {
      if (fact.consumer === consumer && fact.envelope.id === envelope.id) settle();
    };
    const onDead = (fact: BusEventMap['dead-lettered'][0]) => {
      if (fact.consumer === consumer && fact.eventId === envelope.id)
        settle(new Error(`dead-lettered: ${fact.reason}`));
    };
    bus.on('acked', onAck);
    bus.on('dead-lettered', onDead);
    bus.publish(envelope).catch(settle);
  });
}

/** Resolves with the error of `consumer`'s next refusal (a nack) of an event of `subject`. */
export function nextRefusal(bus: EventBus, consumer: string, subject: string): Promise<unknown> {
  return new Promise<unknown>((resolve) => {
    const onNack = (fact: BusEventMap['nacked'][0]) => {
      if (fact.consumer !== consumer || fact.subject !== subject) return;
      bus.off('nacked', onNack);
      resolve(fact.error);
    };
    bus.on('nacked', onNack);
  });
}

/** Which outbox rows to read: those of one subject, and/or whose data has this id or orderId. */
export interface OutboxFilter {
  subject?: Subject;
  id?: string;
  orderId?: string;
}

/** The envelopes a service's outbox recorded that match `filter`, oldest first. */
export async function outboxEnvelopes(
  db: Queryable,
  filter: OutboxFilter,
): Promise<EventEnvelope[]> {
  const where: string[] = [];
  const params: string[] = [];
  const match = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  match('subject', filter.subject);
  match(`envelope->'data'->>'id'`, filter.id);
  match(`envelope->'data'->>'orderId'`, filter.orderId);
  const { rows } = await db.query<{ envelope: EventEnvelope }>(
    `SELECT envelope FROM outbox WHERE ${where.join(' AND ') || 'true'} ORDER BY seq`,
    params,
  );
  return rows.map((r) => r.envelope);
}

/** Subject and data of each outbox envelope matching `filter`, oldest first: what tests compare. */
export async function outboxEvents<D = Record<string, any>>(
  db: Queryable,
  filter: OutboxFilter,
): Promise<Array<{ subject: string; data: D }>> {
  const envelopes = await outboxEnvelopes(db, filter);
  return envelopes.map((e) => ({ subject: e.subject, data: e.data as D }));
}
