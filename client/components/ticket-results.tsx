import Link from '@/components/link';
import { listingHref } from '@/lib/listing-query';
import { shownSummary } from '@/lib/listing-summary';
import type { ApiResult, ListingQuery, Ticket } from '@/lib/types';
import { EmptyState } from './empty-state';
import { PlusIcon } from './icons';
import { Pagination } from './pagination';
import { TicketCard, TicketGrid } from './ticket-card';

/**
 * A page of the ticket list, or why there is none: the filters do not fit (a 400), the list
 * could not be loaded, the page is past the end, nothing matches, or nothing is for sale yet.
 */
export function TicketResults({
  query,
  result,
  tickets,
  first,
  hasNext,
  userId,
}: {
  query: ListingQuery;
  result: ApiResult<Ticket[]>;
  /** This page's tickets. */
  tickets: Ticket[];
  /** The number of the page's first ticket, from 1. */
  first: number;
  hasNext: boolean;
  /** The signed-in visitor's id, to mark their own listings. */
  userId?: string;
}) {
  const { q, filtered, page, filters } = query;
  if (!result.ok) {
    // A 400 is a filter that does not fit (the lowest price above the highest, say): the
    // visitor's to fix, not a failure of the marketplace.
    return (
      <EmptyState
        title={result.status === 400 ? 'Check the filters' : 'Tickets could not be loaded'}
      >
        {result.errors.map((e) => e.message).join(' ')}
      </EmptyState>
    );
  }
  if (tickets.length === 0) {
    if (page > 1) {
      return (
        <EmptyState
          title="No more tickets"
          action={
            <Link href={listingHref(filters, 1)} className="btn-secondary">
              Back to the first page
            </Link>
          }
        >
          This page is past the last ticket.
        </EmptyState>
      );
    }
    if (q || filtered) {
      return (
        <EmptyState
          title={q ? `Nothing matches “${q}”` : 'No tickets match these filters'}
          action={
            <Link href="/" className="btn-secondary">
              See all tickets
            </Link>
          }
        >
          Try a shorter word or wider filters. Only tickets still for sale, for events still to
          come, are shown.
        </EmptyState>
      );
    }
    return (
      <EmptyState
        title="No tickets for sale yet"
        action={
          <Link href="/sell" className="btn-primary">
            <PlusIcon className="size-4" />
            List the first one
          </Link>
        }
      >
        When someone lists a ticket, it shows up here.
      </EmptyState>
    );
  }
  return (
    <section aria-label="Tickets">
      <TicketGrid>
        {tickets.map((t) => (
          <TicketCard key={t.id} ticket={t} mine={userId === t.userId} />
        ))}
      </TicketGrid>
      <p role="status" className="mt-6 text-center text-sm text-slate-600">
        {shownSummary({ first, shown: tickets.length, hasNext })}
      </p>
      <Pagination page={page} hasNext={hasNext} href={(p) => listingHref(filters, p)} />
    </section>
  );
}
