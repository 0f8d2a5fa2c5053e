import type { Metadata } from 'next';
import Link from '@/components/link';
import { TicketStatusBadge } from '@/components/badges';
import { EmptyState } from '@/components/empty-state';
import { PlusIcon } from '@/components/icons';
import { LocalDate } from '@/components/local-date';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { WithdrawButton } from '@/components/withdraw-button';
import { formatPrice } from '@/lib/format';
import { apiGet, requireUser } from '@/lib/server-api';
import type { Ticket, TicketStatus } from '@/lib/types';

export const metadata: Metadata = { title: 'My listings' };

const PAGE_SIZE = 20;

const statusNote: Record<TicketStatus, string> = {
  available: 'On sale — you can still edit it',
  reserved: 'A buyer is paying for it now',
  sold: 'Sold — the buyer has paid',
  withdrawn: 'Withdrawn — no longer on sale',
};

export default async function ListingsPage({ searchParams }: PageProps<'/listings'>) {
  const user = await requireUser('/listings');
  const params = await searchParams;
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);
  const query = new URLSearchParams({
    userId: user.id,
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  const result = await apiGet<Ticket[]>(`/api/tickets?${query}`);
  const tickets = result.ok ? result.data.slice(0, PAGE_SIZE) : [];
  const hasNext = result.ok && result.data.length > PAGE_SIZE;

  return (
    <>
      <PageHeader
        title="My listings"
        description="Every ticket you have listed, and where each one stands."
        action={
          <Link href="/sell" className="btn-primary">
            <PlusIcon className="size-4" />
            Sell a ticket
          </Link>
        }
      />
      {tickets.length === 0 && page === 1 ? (
        <EmptyState title="You have not listed any tickets">
          Got a ticket you can’t use? List it and let someone else enjoy the show.
        </EmptyState>
      ) : (
        <>
          <ul className="space-y-3">
            {tickets.map((t) => (
              <li key={t.id} className="card space-y-3 p-4 sm:p-5">
                <div className="flex items-center gap-4">
                  <div className="min-w-0 flex-1">
                    <Link
                      href={`/tickets/${t.id}`}
                      className="font-semibold break-words text-slate-900 hover:text-brand-700 hover:underline"
                    >
                      {t.title}
                    </Link>
                    {(t.startsAt || t.venue) && (
                      <p className="mt-1 text-sm break-words text-slate-700">
                        {t.startsAt ? <LocalDate iso={t.startsAt} /> : 'No date'}
                        {t.venue && ` · ${t.venue}`}
                      </p>
                    )}
                    <p className="mt-1 text-sm text-slate-600">{statusNote[t.status]}</p>
                  </div>
                  <div className="flex shrink-0 flex-col items-end gap-2 sm:flex-row sm:items-center sm:gap-4">
                    <span className="font-semibold text-slate-900">{formatPrice(t.price)}</span>
                    <TicketStatusBadge status={t.status} />
                  </div>
                </div>
                {t.status === 'available' && <WithdrawButton ticketId={t.id} title={t.title} />}
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            hasNext={hasNext}
            href={(p) => (p > 1 ? `/listings?page=${p}` : '/listings')}
          />
        </>
      )}
    </>
  );
}
