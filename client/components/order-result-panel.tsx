import Link from '@/components/link';
import type { OrderState } from '@/lib/types';
import { CheckCircleIcon, ClockIcon, Spinner, XCircleIcon } from './icons';
import { StatePanel } from './state-panel';

/**
 * What became of the order, announced as it changes (a live region): confirming a payment
 * just made, paid, processing, expired, cancelled by the buyer or by a suspension. Nothing
 * while it is reserved: the pay step shows instead.
 */
export function OrderResultPanel({
  ticketId,
  state,
  confirming,
  slow,
  headingRef,
}: {
  ticketId: string;
  state: OrderState;
  /** Paid here, and the order not yet completed. */
  confirming: boolean;
  /** Confirming has taken longer than usual. */
  slow: boolean;
  headingRef: React.Ref<HTMLHeadingElement>;
}) {
  return (
    <div aria-live="polite" className="space-y-6">
      {confirming ? (
        <StatePanel
          tone="info"
          icon={<Spinner className="size-8" />}
          title="Payment received — confirming your order…"
          headingRef={headingRef}
        >
          {slow
            ? 'This is taking longer than usual. Your payment went through; this page updates by itself, or check My orders in a minute.'
            : 'Your card was charged. This takes a moment.'}
        </StatePanel>
      ) : state === 'paid' ? (
        <StatePanel
          tone="success"
          icon={<CheckCircleIcon className="size-8" />}
          title="Order completed"
          headingRef={headingRef}
        >
          Payment received. The ticket is yours: its code and your receipt are below.
          <div className="mt-4 flex flex-wrap gap-3">
            <Link href="/orders" className="btn-primary">
              My orders
            </Link>
            <Link href="/" className="btn-secondary">
              Browse more tickets
            </Link>
          </div>
        </StatePanel>
      ) : state === 'processing' ? (
        <StatePanel
          tone="info"
          icon={<Spinner className="size-8" />}
          title="Processing your payment…"
          headingRef={headingRef}
        >
          A payment for this order is in progress. This page updates by itself.
        </StatePanel>
      ) : state === 'expired' ? (
        <StatePanel
          tone="neutral"
          icon={<ClockIcon className="size-8" />}
          title="Reservation expired"
          headingRef={headingRef}
        >
          The time to pay ran out, so the ticket was released for others to buy. Nothing was
          charged.
          <div className="mt-4 flex flex-wrap gap-3">
            <Link href={`/tickets/${ticketId}`} className="btn-primary">
              See the ticket
            </Link>
            <Link href="/" className="btn-secondary">
              Browse tickets
            </Link>
          </div>
        </StatePanel>
      ) : state === 'cancelled' ? (
        <StatePanel
          tone="neutral"
          icon={<XCircleIcon className="size-8" />}
          title="Order cancelled"
          headingRef={headingRef}
        >
          You cancelled this order and the ticket was released. Nothing was charged.
          <div className="mt-4">
            <Link href="/" className="btn-primary">
              Browse tickets
            </Link>
          </div>
        </StatePanel>
      ) : state === 'suspended' ? (
        <StatePanel
          tone="neutral"
          icon={<XCircleIcon className="size-8" />}
          title="Order cancelled by Ticketing"
          headingRef={headingRef}
        >
          This order was cancelled because the account was suspended, and the ticket was released.
          Nothing was charged.
        </StatePanel>
      ) : null}
    </div>
  );
}
