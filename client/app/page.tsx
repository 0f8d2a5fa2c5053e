import type { Metadata } from 'next';
import Form from 'next/form';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { PlusIcon, SearchIcon } from '@/components/icons';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { TicketCard, TicketGrid } from '@/components/ticket-card';
import { apiGet, getCurrentUser } from '@/lib/server-api';
import type { Ticket } from '@/lib/types';

export const metadata: Metadata = { title: 'Tickets for sale' };

const PAGE_SIZE = 12;

export default async function HomePage({ searchParams }: PageProps<'/'>) {
  const params = await searchParams;
  const q = (typeof params.q === 'string' ? params.q : '').trim().slice(0, 200);
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);

  // One more than a page, to know whether there is a next page without counting.
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  if (q) query.set('q', q);
  const [result, user] = await Promise.all([
    apiGet<Ticket[]>(`/api/tickets?${query}`),
    getCurrentUser(),
  ]);
  const tickets = result.ok ? result.data.slice(0, PAGE_SIZE) : [];
  const hasNext = result.ok && result.data.length > PAGE_SIZE;

  const href = (p: number) => {
    const next = new URLSearchParams();
    if (q) next.set('q', q);
    if (p > 1) next.set('page', String(p));
    const s = next.toString();
    return s ? `/?${s}` : '/';
  };

  return (
    <>
      <PageHeader
        title={q ? `Tickets matching “${q}”` : 'Tickets for sale'}
        description={
          q
            ? `${tickets.length === 0 ? 'No' : 'Available'} tickets whose title contains “${q}”.`
            : 'Every ticket on offer right now, newest first.'
        }
      />

      <Form role="search" action="/" className="mb-8 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="q" className="sr-only">
          Search tickets by title
        </label>
        <div className="relative flex-1">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3.5 size-5 -translate-y-1/2 text-slate-400" />
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            maxLength={200}
            placeholder="Search by title, e.g. “concert”"
            className="field-input mt-0 pl-11"
          />
        </div>
        <button type="submit" className="btn-primary sm:px-6">
          Search
        </button>
        {q && (
          <Link href="/" className="btn-secondary">
            Clear
          </Link>
        )}
      </Form>

      {!result.ok ? (
        <EmptyState title="Tickets could not be loaded">
          {result.errors.map((e) => e.message).join(' ')}
        </EmptyState>
      ) : tickets.length === 0 ? (
        page > 1 ? (
          <EmptyState
            title="No more tickets"
            action={
              <Link href={href(1)} className="btn-secondary">
                Back to the first page
              </Link>
            }
          >
            This page is past the last ticket.
          </EmptyState>
        ) : q ? (
          <EmptyState
            title={`Nothing matches “${q}”`}
            action={
              <Link href="/" className="btn-secondary">
                See all tickets
              </Link>
            }
          >
            Try a shorter or different word. Only tickets still for sale are shown.
          </EmptyState>
        ) : (
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
        )
      ) : (
        <section aria-label="Tickets">
          <TicketGrid>
            {tickets.map((t) => (
              <TicketCard key={t.id} ticket={t} mine={user?.id === t.userId} />
            ))}
          </TicketGrid>
          <Pagination page={page} hasNext={hasNext} href={href} />
        </section>
      )}
    </>
  );
}
