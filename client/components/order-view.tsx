'use client';

import { useCallback } from 'react';
import { formatPrice } from '@/lib/format';
import type { Order, Purchase } from '@/lib/types';
import { CancelOrder } from './cancel-order';
import { Countdown } from './countdown';
import { OrderPayPanel } from './order-pay-panel';
import { OrderResultPanel } from './order-result-panel';
import { OrderSummaryPanel } from './order-summary-panel';
import { PurchasedTicket } from './purchased-ticket';
import { useOrderFocus } from './use-order-focus';
import { useOrderPayment } from './use-order-payment';
import { useOrderStatus } from './use-order-status';

/**
 * The order page's live part: the countdown to `expiresAt`, the payment form, cancelling, and
 * the outcome. It keeps asking the API for the order while the order can still change (a
 * payment completing, the reservation expiring), so every state shows without a reload.
 */
export function OrderView({
  initialOrder,
  initialPurchase,
  renderedAt,
  stripeKey,
}: {
  initialOrder: Order;
  /** The paid order's ticket and charge, when the server could already load them. */
  initialPurchase: Purchase | null;
  /** The server's clock when it rendered the page: the first render's "now", on both sides. */
  renderedAt: number;
  /** Stripe's publishable key, when Stripe is the payment provider. */
  stripeKey?: string;
}) {
  const { order, setOrder, state, confirming, slow, remainingMs, refresh, markPaid } =
    useOrderStatus(initialOrder, renderedAt);
  const { heading, result, markActed } = useOrderFocus(state, confirming);
  const onPaid = useCallback(() => {
    markActed();
    markPaid();
  }, [markActed, markPaid]);
  const { pay, preparing } = useOrderPayment(order, { refresh, onPaid });
  const amount = formatPrice(order.ticket.price);

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <OrderSummaryPanel
        order={order}
        amount={amount}
        state={confirming ? 'processing' : state}
        headingRef={heading}
      />

      <OrderResultPanel
        ticketId={order.ticket.id}
        state={state}
        confirming={confirming}
        slow={slow}
        headingRef={result}
      />

      {state === 'paid' && !confirming && (
        <PurchasedTicket order={order} initial={initialPurchase} />
      )}

      {state === 'reserved' && !confirming && (
        <>
          <Countdown remainingMs={remainingMs} />
          <OrderPayPanel amount={amount} pay={pay} preparing={preparing} stripeKey={stripeKey} />
          <CancelOrder
            orderId={order.id}
            onCancelled={(o) => {
              markActed();
              setOrder(o);
            }}
            onConflict={refresh}
          />
        </>
      )}
    </div>
  );
}
