'use client';

import Link from '@/components/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { callApi } from '@/lib/client-api';
import { takeFocusRequest } from '@/lib/focus-request';
import { formatPrice, orderState, type OrderState } from '@/lib/format';
import type { Charge, Order } from '@/lib/types';
import { FormErrors } from './alerts';
import { OrderStateBadge } from './badges';
import { Countdown } from './countdown';
import { LocalDate } from './local-date';
import { PurchasedTicket, type Purchase } from './purchased-ticket';
import { CheckCircleIcon, ClockIcon, Spinner, TicketIcon, XCircleIcon } from './icons';
import { StripeCardForm, TestCardForm, type Pay, type PaymentOutcome } from './payment-forms';

/** How often the page asks for the order while something may change it elsewhere. */
const POLL_MS = { idle: 5000, busy: 1000 };

/**
 * Payments learns of a new order from an event, a moment after orders created it, and answers
 * 404 until then: the pay step asks again, showing "Preparing payment…", for up to `forMs`
 * (never past the reservation). A 404 charged nothing, so asking again is safe.
 */
const PREPARING = { everyMs: 500, forMs: 15_000 };

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
  nonce,
}: {
  initialOrder: Order;
  /** The paid order's ticket and charge, when the server could already load them. */
  initialPurchase: Purchase | null;
  /** The server's clock when it rendered the page: the first render's "now", on both sides. */
  renderedAt: number;
  stripeKey?: string;
  nonce?: string;
}) {
  const [order, setOrder] = useState(initialOrder);
  const [now, setNow] = useState(renderedAt);
  // The API's clock minus ours, when they differ by more than the Date header's resolution.
  const [skew, setSkew] = useState(0);
  const [paidJustNow, setPaidJustNow] = useState(false);
  const [slow, setSlow] = useState(false);
  const [preparing, setPreparing] = useState(false);
  // Where focus goes when the page's result changes under it (see below).
  const heading = useRef<HTMLHeadingElement>(null);
  const result = useRef<HTMLHeadingElement>(null);

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
  const confirming = paidJustNow && order.status !== 'completed';
  const settled = order.status === 'completed' || order.status === 'cancelled';

  // Arriving from Buy, the button that had focus is gone: focus the order instead of leaving
  // it to the top of the document. Once paying or cancelling has started, each new result
  // takes focus as it replaces the form.
  const acted = useRef(false);
  useEffect(() => {
    if (takeFocusRequest('order')) heading.current?.focus();
  }, []);
  useEffect(() => {
    if (acted.current) result.current?.focus();
  }, [state, confirming]);

  // Ask again while the order can change: quickly right after paying or when the window has
  // just ended, otherwise every few seconds.
  useEffect(() => {
    if (settled) return;
    const fast = confirming || state === 'expired' || state === 'processing';
    const timer = setInterval(refresh, fast ? POLL_MS.busy : POLL_MS.idle);
    return () => clearInterval(timer);
  }, [settled, confirming, state, refresh]);

  // A payment that is confirmed but not yet reflected for a long time gets an honest message.
  useEffect(() => {
    if (!confirming) return;
    const timer = setTimeout(() => setSlow(true), 20_000);
    return () => clearTimeout(timer);
  }, [confirming]);

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
        acted.current = true;
        setPaidJustNow(true);
        void refresh();
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
    [order.id, order.expiresAt, refresh],
  );

  const remainingMs = Date.parse(order.expiresAt) - (now + skew);
  const amount = formatPrice(order.ticket.price);

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="card flex flex-col gap-4 p-5 sm:flex-row sm:items-center sm:justify-between sm:p-6">
        <div className="flex min-w-0 items-start gap-3">
          <span className="flex size-11 shrink-0 items-center justify-center rounded-xl bg-brand-50 text-brand-600">
            <TicketIcon className="size-6" />
          </span>
          <div className="min-w-0">
            <p className="text-sm text-slate-500">Order for</p>
            <h1
              ref={heading}
              tabIndex={-1}
              className="text-xl font-bold break-words text-slate-900 sm:text-2xl"
            >
              <Link href={`/tickets/${order.ticket.id}`} className="hover:underline">
                {order.ticket.title}
              </Link>
            </h1>
            {(order.ticket.startsAt || order.ticket.venue) && (
              <p className="mt-1 text-sm break-words text-slate-700">
                {order.ticket.startsAt && <LocalDate iso={order.ticket.startsAt} />}
                {order.ticket.startsAt && order.ticket.venue && ' · '}
                {order.ticket.venue}
              </p>
            )}
          </div>
        </div>
        <div className="flex items-center gap-3 sm:flex-col sm:items-end sm:gap-1">
          <span className="text-2xl font-bold whitespace-nowrap text-slate-900">{amount}</span>
          <OrderStateBadge state={confirming ? 'processing' : state} />
        </div>
      </header>

      <div aria-live="polite" className="space-y-6">
        {confirming ? (
          <StatePanel
            tone="info"
            icon={<Spinner className="size-8" />}
            title="Payment received — confirming your order…"
            headingRef={result}
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
            headingRef={result}
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
            headingRef={result}
          >
            A payment for this order is in progress. This page updates by itself.
          </StatePanel>
        ) : state === 'expired' ? (
          <StatePanel
            tone="neutral"
            icon={<ClockIcon className="size-8" />}
            title="Reservation expired"
            headingRef={result}
          >
            The time to pay ran out, so the ticket was released for others to buy. Nothing was
            charged.
            <div className="mt-4 flex flex-wrap gap-3">
              <Link href={`/tickets/${order.ticket.id}`} className="btn-primary">
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
            headingRef={result}
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
            headingRef={result}
          >
            This order was cancelled because the account was suspended, and the ticket was released.
            Nothing was charged.
          </StatePanel>
        ) : null}
      </div>

      {state === 'paid' && !confirming && (
        <PurchasedTicket order={order} initial={initialPurchase} />
      )}

      {state === 'reserved' && !confirming && (
        <>
          <Countdown remainingMs={remainingMs} />
          <section aria-labelledby="pay-heading" className="card p-5 sm:p-8">
            <h2 id="pay-heading" className="mb-5 text-lg font-semibold text-slate-900">
              Pay for your ticket
            </h2>
            {preparing && (
              <p role="status" className="mb-4 flex items-center gap-2 text-sm text-sky-800">
                <Spinner /> Preparing payment…
              </p>
            )}
            {stripeKey ? (
              <StripeCardForm publishableKey={stripeKey} nonce={nonce} amount={amount} pay={pay} />
            ) : (
              <TestCardForm amount={amount} pay={pay} />
            )}
          </section>
          <CancelOrder
            orderId={order.id}
            onCancelled={(o) => {
              acted.current = true;
              setOrder(o);
            }}
            onConflict={refresh}
          />
        </>
      )}
    </div>
  );
}

const panelTones = {
  success: 'border-emerald-200 bg-emerald-50 text-emerald-950 [&>svg]:text-emerald-600',
  info: 'border-sky-200 bg-sky-50 text-sky-950 [&>svg]:text-sky-600',
  neutral: 'border-slate-200 bg-white text-slate-900 [&>svg]:text-slate-500',
};

function StatePanel({
  tone,
  icon,
  title,
  headingRef,
  children,
}: {
  tone: keyof typeof panelTones;
  icon: React.ReactNode;
  title: string;
  /** Focused when the result changes after the buyer acted (tabIndex -1: not a tab stop). */
  headingRef: React.Ref<HTMLHeadingElement>;
  children: React.ReactNode;
}) {
  return (
    <section className={`flex gap-4 rounded-2xl border p-5 sm:p-6 ${panelTones[tone]}`}>
      {icon}
      <div className="min-w-0 flex-1">
        <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold">
          {title}
        </h2>
        <div className="mt-1 leading-relaxed opacity-90">{children}</div>
      </div>
    </section>
  );
}

/** Cancelling asks once more, inline (no browser dialog), then releases the ticket. */
function CancelOrder({
  orderId,
  onCancelled,
  onConflict,
}: {
  orderId: string;
  onCancelled: (order: Order) => void;
  onConflict: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  async function cancel() {
    setBusy(true);
    setErrors([]);
    const result = await callApi<Order>('DELETE', `/api/orders/${orderId}`);
    setBusy(false);
    if (result.ok) return onCancelled(result.data);
    setErrors(result.errors.map((e) => e.message));
    if (result.status === 409) onConflict();
  }

  return (
    <div className="space-y-3">
      <FormErrors messages={errors} />
      {confirming ? (
        <div className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-slate-700">
            Cancel this order? The ticket goes back on sale for everyone.
          </p>
          <div className="flex shrink-0 gap-2">
            <button
              ref={confirmButton}
              type="button"
              className="btn-danger"
              disabled={busy}
              onClick={cancel}
            >
              {busy && <Spinner />}
              Yes, cancel order
            </button>
            <button
              type="button"
              className="btn-ghost"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div className="flex justify-center">
          <button
            type="button"
            className="btn-ghost text-slate-600"
            onClick={() => setConfirming(true)}
          >
            Cancel order
          </button>
        </div>
      )}
      {!confirming && (
        <p className="text-center text-sm text-slate-500">
          Cancelling releases the ticket at once; if you do nothing, the reservation ends by itself
          when the time runs out.
        </p>
      )}
    </div>
  );
}
