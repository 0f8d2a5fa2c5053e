import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OrderView } from '@/components/order-view';
import { apiGet, cspNonce, requireUser } from '@/lib/server-api';
import { stripePublishableKey } from '@/lib/runtime-config';
import type { Order } from '@/lib/types';

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: PageProps<'/orders/[id]'>) {
  const { id } = await params;
  await requireUser(`/orders/${id}`);
  const result = await apiGet<Order>(`/api/orders/${encodeURIComponent(id)}`);
  // Another user's order is as good as missing: nothing about it is shown.
  if (!result.ok) notFound();
  const stripeKey = stripePublishableKey();
  return (
    <OrderView
      initialOrder={result.data}
      renderedAt={Date.now()}
      stripeKey={stripeKey}
      nonce={stripeKey ? await cspNonce() : undefined}
    />
  );
}
