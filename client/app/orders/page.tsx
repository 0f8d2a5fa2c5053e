import type { Metadata } from 'next';
import Link from '@/components/link';
import { OrderStateBadge } from '@/components/badges';
import { EmptyState } from '@/components/empty-state';
import { ArrowRightIcon } from '@/components/icons';
import { Notice } from '@/components/alerts';
import { LocalDate } from '@/components/local-date';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { formatPrice, orderState } from '@/lib/format';
import { apiGet, requireUser } from '@/lib/server-api';
import type { Order, OrderState } from '@/lib/types';

export const metadata: Metadata = { title: 'My orders' };

const PAGE_SIZE = 20;

const stateNote: Record<OrderState, string> = {
  reserved: 'Reserved for you — waiting for your payment',
  processing: 'Payment in progress',
  paid: 'Paid — the ticket is yours',
  cancelled: 'Cancelled by you — nothing was charged',
  expired: 'Reservation ended unpaid — nothing was charged',
  suspended: 'Cancelled because the account was suspended — nothing was charged',
};

export default async function OrdersPage({ searchParams }: PageProps<'/orders'>) {
  await requireUser('/orders');
  const page = Math.max(1, Math.floor(Number((await searchParams).page)) || 1);
  // One more than a page: whether there is a next page, without counting them all.
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  const result = await apiGet<Order[]>(`/api/orders?${query}`);
  const orders = result.ok ? result.data.slice(0, PAGE_SIZE) : [];
  const hasNext = result.ok && result.data.length > PAGE_SIZE;
  const now = Date.now();

  return (
    <>
      <PageHeader
        title="My orders"
        description="Tickets you have bought or reserved, newest first."
      />
      {!result.ok ? (
        <Notice tone="error" role="alert" title="Your orders could not be loaded">
          Please reload the page in a moment.
        </Notice>
      ) : orders.length === 0 && page > 1 ? (
        <EmptyState
          title="No more orders"
          action={
            <Link href="/orders" className="btn-primary">
              Back to the first page
            </Link>
          }
        >
          You have seen all your orders.
        </EmptyState>
      ) : orders.length === 0 ? (
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
                    {(order.ticket.startsAt || order.ticket.venue) && (
                      <p className="mt-1 text-sm break-words text-slate-700">
                        {order.ticket.startsAt && <LocalDate iso={order.ticket.startsAt} />}
                        {order.ticket.startsAt && order.ticket.venue && ' · '}
                        {order.ticket.venue}
                      </p>
                    )}
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
      {result.ok && (
        <Pagination
          page={page}
          hasNext={hasNext}
          href={(p) => (p > 1 ? `/orders?page=${p}` : '/orders')}
        />
      )}
    </>
  );
}
