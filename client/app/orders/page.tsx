import type { Metadata } from 'next';
import Link from '@/components/link';
import { OrderStateBadge } from '@/components/badges';
import { EmptyState } from '@/components/empty-state';
import { ArrowRightIcon } from '@/components/icons';
import { PageHeader } from '@/components/page-header';
import { formatPrice, orderState, type OrderState } from '@/lib/format';
import { apiGet, requireUser } from '@/lib/server-api';
import type { Order } from '@/lib/types';

export const metadata: Metadata = { title: 'My orders' };

const stateNote: Record<OrderState, string> = {
  reserved: 'Reserved for you — waiting for your payment',
  processing: 'Payment in progress',
  paid: 'Paid — the ticket is yours',
  cancelled: 'Cancelled by you — nothing was charged',
  expired: 'Reservation ended unpaid — nothing was charged',
  suspended: 'Cancelled because the account was suspended — nothing was charged',
};

export default async function OrdersPage() {
  await requireUser('/orders');
  const result = await apiGet<Order[]>('/api/orders');
  const orders = result.ok ? result.data : [];
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="My orders"
        description="Tickets you have bought or reserved, newest first."
      />
      {orders.length === 0 ? (
        <EmptyState
          title="No orders yet"
          action={
            <Link href="/" className="btn-primary">
              Browse tickets
            </Link>
          }
        >
          When you buy a ticket, your order shows up here.
        </EmptyState>
      ) : (
        <ul className="space-y-3">
          {orders.map((order) => {
            const state = orderState(order, now);
            return (
              <li key={order.id}>
                <Link
                  href={`/orders/${order.id}`}
                  className="card flex items-center gap-4 p-4 transition hover:border-brand-200 hover:shadow-md sm:p-5"
                >
                  <div className="min-w-0 flex-1">
                    <p className="font-semibold break-words text-slate-900">{order.ticket.title}</p>
                    <p className="mt-1 text-sm text-slate-600">{stateNote[state]}</p>
                  </div>
                  <div className="flex shrink-0 flex-col items-end gap-2 sm:flex-row sm:items-center sm:gap-4">
                    <span className="font-semibold text-slate-900">
                      {formatPrice(order.ticket.price)}
                    </span>
                    <OrderStateBadge state={state} />
                  </div>
                  <ArrowRightIcon className="hidden size-5 shrink-0 text-slate-400 sm:block" />
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
