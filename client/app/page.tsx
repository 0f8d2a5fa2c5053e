import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { TicketFilterForm } from '@/components/ticket-filter-form';
import { TicketResults } from '@/components/ticket-results';
import { TicketSearchForm } from '@/components/ticket-search-form';
import { PAGE_SIZE, readListingQuery } from '@/lib/listing-query';
import { searchSummary } from '@/lib/listing-summary';
import { localDayBound } from '@/lib/local-day';
import { apiGet, getCurrentUser } from '@/lib/server-api';
import type { ListingQuery, Ticket } from '@/lib/types';

export const metadata: Metadata = { title: 'Tickets for sale' };

export default async function HomePage({ searchParams }: PageProps<'/'>) {
  const query = readListingQuery(await searchParams);
  const { q, page } = query;
  const [{ result, tickets, hasNext, earlier }, user] = await Promise.all([
    loadListing(query),
    getCurrentUser(),
  ]);
  const first = (page - 1) * PAGE_SIZE + 1;

  return (
    <>
      <PageHeader
        title={q ? `Tickets matching “${q}”` : 'Tickets for sale'}
        description={
          q
            ? searchSummary(q, { first, shown: tickets.length, hasNext, earlier })
            : 'Every ticket on offer for an event still to come.'
        }
      />
      {query.droppedCharacters && (
        <p role="status" className="-mt-2 mb-6 text-sm text-slate-600">
          Characters that cannot be searched for were left out of your search.
        </p>
      )}
      <TicketSearchForm q={q} filters={query.filters} />
      <TicketFilterForm q={q} filters={query.filters} filtered={query.filtered} />
      <TicketResults
        query={query}
        result={result}
        tickets={tickets}
        first={first}
        hasNext={hasNext}
        userId={user?.id}
      />
    </>
  );
}

/**
 * One page of tickets for the query. It asks for one more than a page, to know whether there
 * is a next page without counting; past the last page of a search, it asks whether the search
 * has results at all (`earlier`), on earlier pages.
 */
async function loadListing({ filters, q, page }: ListingQuery) {
  const params = new URLSearchParams({
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  for (const [name, value] of Object.entries(filters)) if (name !== 'tz') params.set(name, value);
  // Dates are the visitor's days: their bounds go to the API as instants (lib/local-day.ts).
  if (filters.from) params.set('from', localDayBound(filters.from, 'start', filters.tz));
  if (filters.to) params.set('to', localDayBound(filters.to, 'end', filters.tz));
  const result = await apiGet<Ticket[]>(`/api/tickets?${params}`);
  const tickets = result.ok ? result.data.slice(0, PAGE_SIZE) : [];
  const hasNext = result.ok && result.data.length > PAGE_SIZE;
  const earlier =
    q && page > 1 && result.ok && tickets.length === 0
      ? await apiGet<Ticket[]>(`/api/tickets?${new URLSearchParams({ q, limit: '1' })}`)
      : null;
  return { result, tickets, hasNext, earlier: earlier?.ok === true && earlier.data.length > 0 };
}
