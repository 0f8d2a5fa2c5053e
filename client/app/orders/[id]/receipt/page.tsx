import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import Link from '@/components/link';
import { Notice } from '@/components/alerts';
import { ArrowLeftIcon, TicketIcon } from '@/components/icons';
import { PrintButton } from '@/components/print-button';
import { ReceiptDetails } from '@/components/receipt-details';
import { paidCharge } from '@/lib/purchase';
import { apiGet, requireUser } from '@/lib/server-api';
import type { Charge, Order, Ticket } from '@/lib/types';

export const metadata: Metadata = { title: 'Receipt' };

/**
 * A paid order's receipt on a page of its own, laid out for paper: the site header and the
 * buttons are hidden when printing. No ticket code here: a receipt gets passed around.
 */
export default async function ReceiptPage({ params }: PageProps<'/orders/[id]/receipt'>) {
  const { id } = await params;
  const user = await requireUser(`/orders/${id}/receipt`);
  const result = await apiGet<Order>(`/api/orders/${encodeURIComponent(id)}`);
  if (!result.ok) notFound();
  const order = result.data;
  const back = (
    <Link
      href={`/orders/${order.id}`}
      className="inline-flex items-center gap-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 print:hidden"
    >
      <ArrowLeftIcon className="size-4" />
      Back to the order
    </Link>
  );
  if (order.status !== 'completed') {
    return (
      <div className="mx-auto max-w-2xl space-y-4">
        {back}
        <Notice tone="info" role="status" title="No receipt yet">
          A receipt is issued once the order is paid.
        </Notice>
      </div>
    );
  }
  const [ticket, charges] = await Promise.all([
    apiGet<Ticket>(`/api/tickets/${encodeURIComponent(order.ticket.id)}`),
    apiGet<Charge[]>(`/api/payments?orderId=${encodeURIComponent(order.id)}`),
  ]);
  const charge = paidCharge(charges.ok ? charges.data : null);
  const event = ticket.ok ? ticket.data : { ...order.ticket, venue: null, startsAt: null };

  return (
    <div className="mx-auto max-w-2xl space-y-4">
      {back}
      <article className="card p-6 sm:p-10 print:border-0 print:p-0 print:shadow-none">
        <header className="flex items-start justify-between gap-4 border-b border-slate-200 pb-5">
          <div className="flex items-center gap-2 text-lg font-bold text-slate-900">
            <span className="flex size-9 items-center justify-center rounded-xl bg-brand-600 text-white">
              <TicketIcon className="size-5" />
            </span>
            Ticketing
          </div>
          <div className="text-right">
            <h1 className="text-2xl font-bold text-slate-900">Receipt</h1>
            <p className="text-sm text-slate-600">Paid · thank you, {user.name}</p>
          </div>
        </header>
        <ReceiptDetails order={order} ticket={{ ...order.ticket, ...event }} charge={charge} />
        <p className="mt-6 text-xs text-slate-500">
          Sold by an individual seller through Ticketing. The ticket code is on your order page, not
          on this receipt.
        </p>
      </article>
      <div className="flex justify-end print:hidden">
        <PrintButton />
      </div>
    </div>
  );
}
