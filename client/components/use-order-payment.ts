'use client';

import { useCallback, useState } from 'react';
import { callApi } from '@/lib/client-api';
import type { Charge, Order, Pay, PaymentOutcome } from '@/lib/types';

/**
 * Payments learns of a new order from an event, a moment after orders created it, and answers
 * 404 until then: the pay step asks again, showing "Preparing payment…", for up to `forMs`
 * (never past the reservation). A 404 charged nothing, so asking again is safe.
 */
const PREPARING = { everyMs: 500, forMs: 15_000 };

/**
 * Paying for the order (POST /api/payments): `pay` sends one payment source and tells the form
 * what came of it; `preparing` is true while payments has not yet learnt of the order. On
 * success it calls `onPaid`; on a 409 (cancelled, expired or paid meanwhile) it asks for the
 * order again; a 401 goes to sign in and back.
 */
export function useOrderPayment(
  order: Pick<Order, 'id' | 'expiresAt'>,
  { refresh, onPaid }: { refresh: () => Promise<void>; onPaid: () => void },
) {
  const [preparing, setPreparing] = useState(false);

  const pay: Pay = useCallback(
    async (token) => {
      const attempt = () => callApi<Charge>('POST', '/api/payments', { orderId: order.id, token });
      let result = await attempt();
      const until = Math.min(Date.now() + PREPARING.forMs, Date.parse(order.expiresAt));
      while (result.status === 404 && Date.now() < until) {
        setPreparing(true);
        await new Promise((resolve) => setTimeout(resolve, PREPARING.everyMs));
        result = await attempt();
      }
      setPreparing(false);
      if (result.ok) {
        onPaid();
        return { kind: 'paid' };
      }
      const messages = result.errors.map((e) => e.message);
      if (result.status === 402) {
        return { kind: 'declined', message: messages.join(' ') || 'Your card was declined.' };
      }
      if (result.status === 401) {
        window.location.assign(`/signin?next=${encodeURIComponent(`/orders/${order.id}`)}`);
      }
      // 409: cancelled, expired or already paid meanwhile; the page catches up.
      if (result.status === 409) void refresh();
      const aboutCard = result.errors.some((e) => e.field === 'token');
      return {
        kind: 'error',
        messages,
        field: aboutCard ? 'card' : undefined,
      } satisfies PaymentOutcome;
    },
    [order.id, order.expiresAt, refresh, onPaid],
  );

  return { pay, preparing };
}
