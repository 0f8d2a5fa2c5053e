import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OrderView } from '@/components/order-view';
import { paidCharge, ticketReady } from '@/lib/purchase';
import { apiGet, requireUser } from '@/lib/server-api';
import { stripePublishableKey } from '@/lib/runtime-config';
import type { Charge, Order, Purchase, Ticket } from '@/lib/types';

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: PageProps<'/orders/[id]'>) {
  const { id } = await params;
  await requireUser(`/orders/${id}`);
  const result = await apiGet<Order>(`/api/orders/${encodeURIComponent(id)}`);
  // Another user's order is as good as missing: nothing about it is shown.
  if (!result.ok) notFound();
  return (
    <OrderView
      initialOrder={result.data}
      initialPurchase={await loadPurchase(result.data)}
      renderedAt={Date.now()}
      stripeKey={stripePublishableKey()}
    />
  );
}

/**
 * A paid order's ticket (with its code) and completed charge, when both services already know
 * the order is paid; otherwise null, and the page loads them in the browser as they catch up.
 */
async function loadPurchase(order: Order): Promise<Purchase | null> {
  if (order.status !== 'completed') return null;
  const [ticket, charges] = await Promise.all([
    apiGet<Ticket>(`/api/tickets/${encodeURIComponent(order.ticket.id)}`),
    apiGet<Charge[]>(`/api/payments?orderId=${encodeURIComponent(order.id)}`),
  ]);
  if (!ticket.ok || !ticketReady(ticket.data, order)) return null;
  return { ticket: ticket.data, charge: paidCharge(charges.ok ? charges.data : null) };
}
