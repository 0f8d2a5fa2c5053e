'use client';

import { useCallback, useEffect, useState } from 'react';
import { orderState } from '@/lib/format';
import type { Order, OrderState } from '@/lib/types';

/** How often the page asks for the order while something may change it elsewhere. */
const POLL_MS = { idle: 5000, busy: 1000 };

/** After this long confirming a payment, the page says that it is taking longer than usual. */
const SLOW_AFTER_MS = 20_000;

/**
 * The order as it is now. The hook keeps asking the API for it while it can still change (a
 * payment completing, the reservation expiring), quickly right after paying or when the window
 * has just ended, otherwise every few seconds, and keeps one clock for the page, corrected by
 * the API's (its Date header) when the two differ by more than the header's resolution.
 *
 * `renderedAt` is the server's clock when it rendered the page: the first render's "now".
 */
export function useOrderStatus(initialOrder: Order, renderedAt: number) {
  const [order, setOrder] = useState(initialOrder);
  const [now, setNow] = useState(renderedAt);
  // The API's clock minus ours, when they differ by more than the Date header's resolution.
  const [skew, setSkew] = useState(0);
  const [paidJustNow, setPaidJustNow] = useState(false);
  const [slow, setSlow] = useState(false);

  const refresh = useCallback(async () => {
    const sentAt = Date.now();
    const response = await fetch(`/api/orders/${order.id}`, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
    }).catch(() => null);
    if (!response?.ok) return;
    const serverDate = Date.parse(response.headers.get('date') ?? '');
    if (Number.isFinite(serverDate)) {
      const measured = serverDate - (sentAt + Date.now()) / 2;
      setSkew(Math.abs(measured) > 2000 ? measured : 0);
    }
    const fresh = (await response.json().catch(() => null)) as Order | null;
    if (fresh?.id === order.id) setOrder(fresh);
  }, [order.id]);

  // One clock for the page.
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const state: OrderState = orderState(order, now + skew);
  /** Paid here, and the order not yet completed: the page waits for orders to learn of it. */
  const confirming = paidJustNow && order.status !== 'completed';
  const settled = order.status === 'completed' || order.status === 'cancelled';

  useEffect(() => {
    if (settled) return;
    const fast = confirming || state === 'expired' || state === 'processing';
    const timer = setInterval(refresh, fast ? POLL_MS.busy : POLL_MS.idle);
    return () => clearInterval(timer);
  }, [settled, confirming, state, refresh]);

  // A payment that is confirmed but not yet reflected for a long time gets an honest message.
  useEffect(() => {
    if (!confirming) return;
    const timer = setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [confirming]);

  /** The card was charged: confirm, and ask for the order at once. */
  const markPaid = useCallback(() => {
    setPaidJustNow(true);
    void refresh();
  }, [refresh]);

  return {
    order,
    /** Replaces the order with one the API answered elsewhere (cancelling). */
    setOrder,
    state,
    confirming,
    /** Confirming has taken longer than usual. */
    slow,
    /** Until the reservation ends, by the API's clock; negative once it has. */
    remainingMs: Date.parse(order.expiresAt) - (now + skew),
    refresh,
    markPaid,
  };
}
