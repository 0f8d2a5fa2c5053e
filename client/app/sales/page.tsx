import type { Metadata } from 'next';
import Link from '@/components/link';
import { Notice } from '@/components/alerts';
import { EmptyState } from '@/components/empty-state';
import { PlusIcon, UserIcon } from '@/components/icons';
import { LocalDate } from '@/components/local-date';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { formatPrice } from '@/lib/format';
import { apiGet, requireUser } from '@/lib/server-api';
import type { Sale } from '@/lib/types';

export const metadata: Metadata = { title: 'My sales' };

const PAGE_SIZE = 20;

/** The seller's sold tickets, newest sale first: who bought each, for how much, and when. */
export default async function SalesPage({ searchParams }: PageProps<'/sales'>) {
  await requireUser('/sales');
  const page = Math.max(1, Math.floor(Number((await searchParams).page)) || 1);
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  const result = await apiGet<Sale[]>(`/api/sales?${query}`);
  const sales = result.ok ? result.data.slice(0, PAGE_SIZE) : [];
  const hasNext = result.ok && result.data.length > PAGE_SIZE;

  return (
    <>
      <PageHeader
        title="My sales"
        description="Tickets of yours that buyers have paid for, newest sale first."
        action={
          <Link href="/listings" className="btn-secondary">
            My listings
          </Link>
        }
      />
      {!result.ok ? (
        <Notice tone="error" role="alert" title="Your sales could not be loaded">
          Please reload the page in a moment.
        </Notice>
      ) : sales.length === 0 && page > 1 ? (
        <EmptyState
          title="No more sales"
          action={
            <Link href="/sales" className="btn-primary">
              Back to the first page
            </Link>
          }
        >
          You have seen all your sales.
        </EmptyState>
      ) : sales.length === 0 ? (
        <EmptyState
          title="No sales yet"
          action={
            <Link href="/sell" className="btn-primary">
              <PlusIcon className="size-4" />
              Sell a ticket
            </Link>
          }
        >
          When a buyer pays for one of your tickets, the sale shows up here.
        </EmptyState>
      ) : (
        <>
          <ul className="space-y-3">
            {sales.map((sale) => (
              <li key={sale.orderId} className="card flex items-center gap-4 p-4 sm:p-5">
                <div className="min-w-0 flex-1">
                  <Link
                    href={`/tickets/${sale.ticket.id}`}
                    className="font-semibold break-words text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {sale.ticket.title}
                  </Link>
                  {(sale.ticket.startsAt || sale.ticket.venue) && (
                    <p className="mt-1 text-sm break-words text-slate-700">
                      {sale.ticket.startsAt && <LocalDate iso={sale.ticket.startsAt} />}
                      {sale.ticket.startsAt && sale.ticket.venue && ' · '}
                      {sale.ticket.venue}
                    </p>
                  )}
                  <p className="mt-1 flex flex-wrap items-center gap-x-1.5 text-sm text-slate-600">
                    <UserIcon className="size-4 text-slate-400" />
                    <span>Bought by {sale.buyer.name ?? 'a buyer'}</span>
                    <span aria-hidden="true">·</span>
                    <span>
                      sold <LocalDate iso={sale.soldAt} />
                    </span>
                  </p>
                </div>
                <span className="shrink-0 text-lg font-semibold text-slate-900">
                  {formatPrice(sale.amount)}
                </span>
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            hasNext={hasNext}
            href={(p) => (p > 1 ? `/sales?page=${p}` : '/sales')}
          />
        </>
      )}
    </>
  );
}
