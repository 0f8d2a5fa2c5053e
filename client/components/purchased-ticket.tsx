'use client';

import { QRCodeSVG } from 'qrcode.react';
import { useEffect, useState } from 'react';
import Link from '@/components/link';
import { callApi, sleep } from '@/lib/client-api';
import { paidCharge, ticketReady } from '@/lib/purchase';
import type { Charge, Order, Purchase, Ticket } from '@/lib/types';
import { Notice } from './alerts';
import { CheckIcon, Spinner } from './icons';
import { ReceiptDetails } from './receipt-details';

const RETRY = { everyMs: 1000, forMs: 20_000 };

/** Loads (and, while the services catch up, reloads) the ticket and the charge of a paid order. */
async function loadPurchase(order: Order): Promise<Purchase | 'pending' | 'failed'> {
  const [ticket, charges] = await Promise.all([
    callApi<Ticket>('GET', `/api/tickets/${order.ticket.id}`),
    callApi<Charge[]>('GET', `/api/payments?orderId=${order.id}`),
  ]);
  if (!ticket.ok && ticket.status !== 404) return 'failed';
  if (!ticket.ok || !ticketReady(ticket.data, order)) return 'pending';
  return { ticket: ticket.data, charge: paidCharge(charges.ok ? charges.data : null) };
}

/**
 * The paid order's ticket: its code, large, with a copy button and a QR code of it, and the
 * receipt's facts (paid on, amount, card) with a link to the printable receipt. Shows a
 * loading state while the ticket is on its way and an error with a retry if it never comes.
 */
export function PurchasedTicket({
  order,
  initial,
}: {
  order: Order;
  /** What the server already loaded, when the order was paid before the page was rendered. */
  initial: Purchase | null;
}) {
  const [purchase, setPurchase] = useState<Purchase | null>(initial);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (purchase) return;
    // Stops asking when the page goes away or the buyer asks again (a new attempt).
    let live = true;
    setFailed(false);
    void (async () => {
      const until = Date.now() + RETRY.forMs;
      while (live) {
        const result = await loadPurchase(order);
        if (!live) return;
        if (typeof result === 'object') return setPurchase(result);
        if (result === 'failed' || Date.now() > until) return setFailed(true);
        await sleep(RETRY.everyMs);
      }
    })();
    return () => {
      live = false;
    };
  }, [purchase, order, attempt]);

  if (!purchase) {
    return failed ? (
      <Notice tone="error" role="alert" title="Your ticket could not be loaded">
        Your payment is safe and the ticket is yours; its details did not load.
        <button
          type="button"
          className="btn-secondary mt-3"
          onClick={() => setAttempt((n) => n + 1)}
        >
          Try again
        </button>
      </Notice>
    ) : (
      <p role="status" className="card flex items-center gap-2 p-5 text-slate-700">
        <Spinner /> Getting your ticket…
      </p>
    );
  }

  const { ticket, charge } = purchase;
  return (
    <>
      <section aria-labelledby="ticket-code-heading" className="card p-5 sm:p-8">
        <h2 id="ticket-code-heading" className="text-lg font-semibold text-slate-900">
          Your ticket
        </h2>
        {ticket.code ? (
          <TicketCode code={ticket.code} />
        ) : (
          <p className="mt-2 text-slate-700">
            The seller gave no code for this ticket: they will pass it on to you directly.
          </p>
        )}
      </section>

      <section aria-labelledby="receipt-heading" className="card p-5 sm:p-8">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="receipt-heading" className="text-lg font-semibold text-slate-900">
            Receipt
          </h2>
          <Link href={`/orders/${order.id}/receipt`} className="btn-secondary">
            Printable receipt
          </Link>
        </div>
        <ReceiptDetails order={order} ticket={ticket} charge={charge} />
      </section>
    </>
  );
}

/** The code in large type, a button that copies it, and the same code as a QR code. */
function TicketCode({ code }: { code: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }

  return (
    <div className="mt-4 flex flex-col items-center gap-6 sm:flex-row sm:items-start">
      <div className="rounded-xl border border-slate-200 bg-white p-3">
        <QRCodeSVG
          value={code}
          size={176}
          marginSize={2}
          level="M"
          role="img"
          aria-label={`QR code of the ticket code ${code}`}
        />
      </div>
      <div className="min-w-0 flex-1 space-y-3 text-center sm:text-left">
        <p className="text-sm text-slate-600">Show this code (or the QR code) at the entrance.</p>
        <p
          data-testid="ticket-code"
          className="font-mono text-3xl font-bold tracking-wider break-all text-slate-900 select-all sm:text-4xl"
        >
          {code}
        </p>
        <button type="button" className="btn-secondary" onClick={copy}>
          {copied === 'yes' && <CheckIcon className="size-4" />}
          {copied === 'yes' ? 'Copied' : 'Copy code'}
        </button>
        <p aria-live="polite" className="text-sm text-slate-600">
          {copied === 'yes'
            ? 'The code is on your clipboard.'
            : copied === 'no'
              ? 'Copying is not allowed here: select the code and copy it by hand.'
              : ''}
        </p>
        <p className="text-xs text-slate-500">
          Only you and the seller can see this code. Keep it to yourself until the event.
        </p>
      </div>
    </div>
  );
}
