import type { Metadata } from 'next';
import Link from '@/components/link';
import { notFound } from 'next/navigation';
import { Notice } from '@/components/alerts';
import { TicketStatusBadge } from '@/components/badges';
import { BuyButton } from '@/components/buy-button';
import { ArrowLeftIcon, ClockIcon, LockIcon, TicketIcon, UserIcon } from '@/components/icons';
import { LocalDate } from '@/components/local-date';
import { TicketForm } from '@/components/ticket-form';
import { WithdrawButton } from '@/components/withdraw-button';
import { formatPrice } from '@/lib/format';
import { reservationWindowSeconds } from '@/lib/runtime-config';
import { apiGet, getCurrentUser } from '@/lib/server-api';
import type { Order, Ticket, User } from '@/lib/types';

async function loadTicket(id: string): Promise<Ticket> {
  const result = await apiGet<Ticket>(`/api/tickets/${encodeURIComponent(id)}`);
  if (!result.ok) notFound();
  return result.data;
}

export async function generateMetadata({ params }: PageProps<'/tickets/[id]'>): Promise<Metadata> {
  const { id } = await params;
  const result = await apiGet<Ticket>(`/api/tickets/${encodeURIComponent(id)}`);
  return { title: result.ok ? result.data.title : 'Ticket not found' };
}

export default async function TicketPage({ params, searchParams }: PageProps<'/tickets/[id]'>) {
  const [{ id }, { listed }] = await Promise.all([params, searchParams]);
  const [ticket, user] = await Promise.all([loadTicket(id), getCurrentUser()]);
  const isSeller = user?.id === ticket.userId;
  // The reservation may be the visitor's own: then the page leads to their order, not a wall.
  const ownOrder =
    user && !isSeller && ticket.orderId
      ? await apiGet<Order>(`/api/orders/${encodeURIComponent(ticket.orderId)}`).then((r) =>
          r.ok && r.data.status !== 'cancelled' ? r.data : null,
        )
      : null;

  return (
    <div className="space-y-6">
      <Link
        href="/"
        className="inline-flex items-center gap-1.5 text-sm font-medium text-slate-600 hover:text-slate-900"
      >
        <ArrowLeftIcon className="size-4" />
        All tickets
      </Link>

      {listed && isSeller && (
        <Notice tone="success" role="status" title="Your ticket is listed">
          It is on the home page now. You can still change any of its details below until someone
          starts buying it.
        </Notice>
      )}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <article className="card overflow-hidden">
          <div className="bg-gradient-to-br from-brand-600 to-brand-900 px-5 py-8 text-white sm:px-8">
            <div className="flex items-center gap-2 text-sm text-brand-100">
              <TicketIcon className="size-4" />
              Event ticket
            </div>
            <h1 className="mt-2 text-2xl font-bold tracking-tight break-words sm:text-3xl">
              {ticket.title}
            </h1>
            {(ticket.startsAt || ticket.venue) && (
              <p className="mt-3 flex items-start gap-2 text-base text-brand-50">
                <ClockIcon className="mt-1 size-4 shrink-0" />
                <span className="min-w-0 break-words">
                  {ticket.startsAt && <LocalDate iso={ticket.startsAt} className="font-semibold" />}
                  {ticket.startsAt && ticket.venue && ' · '}
                  {ticket.venue}
                </span>
              </p>
            )}
          </div>
          <div className="space-y-5 p-5 sm:p-8">
            <dl className="flex flex-wrap gap-x-8 gap-y-3 text-sm">
              <div>
                <dt className="text-slate-500">Status</dt>
                <dd className="mt-1">
                  <TicketStatusBadge status={ticket.status} />
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">Seller</dt>
                <dd className="mt-1 flex items-center gap-1.5 font-medium text-slate-900">
                  <UserIcon className="size-4 text-slate-400" />
                  {isSeller ? 'You' : (ticket.seller.name ?? 'A seller')}
                </dd>
              </div>
            </dl>
            {ticket.code !== undefined && ticket.code !== null && (
              <div className="rounded-xl border border-slate-200 bg-slate-50 p-4">
                <h2 className="text-sm font-semibold text-slate-900">Ticket code</h2>
                <p className="mt-1 font-mono text-lg break-all text-slate-900">{ticket.code}</p>
                <p className="mt-1 text-xs text-slate-600">
                  {isSeller
                    ? 'Only you can see this. The buyer sees it once they have paid.'
                    : 'Yours: you bought this ticket.'}
                </p>
              </div>
            )}
            <div>
              <h2 className="text-sm font-semibold text-slate-900">About this ticket</h2>
              <p className="mt-1.5 whitespace-pre-line break-words text-slate-700">
                {ticket.description || 'The seller added no description.'}
              </p>
            </div>
          </div>
        </article>

        <aside aria-label="Purchase" className="card h-fit space-y-4 p-5 sm:p-6">
          <div>
            <p className="text-sm text-slate-500">Price</p>
            <p className="text-3xl font-bold whitespace-nowrap text-slate-900">
              {formatPrice(ticket.price)}
            </p>
          </div>
          <PurchaseBox ticket={ticket} user={user} isSeller={isSeller} ownOrder={ownOrder} />
        </aside>
      </div>

      {isSeller && <SellerPanel ticket={ticket} />}
    </div>
  );
}

function PurchaseBox({
  ticket,
  user,
  isSeller,
  ownOrder,
}: {
  ticket: Ticket;
  user: User | null;
  isSeller: boolean;
  ownOrder: Order | null;
}) {
  const started = ticket.startsAt !== null && Date.parse(ticket.startsAt) <= Date.now();
  if (isSeller) {
    return (
      <p className="text-sm text-slate-600">
        This is your listing.{' '}
        {ticket.status === 'withdrawn'
          ? 'You withdrew it: buyers no longer see it.'
          : ticket.status === 'available' && !started
            ? 'Buyers can buy it now.'
            : null}
      </p>
    );
  }
  if (ownOrder) {
    return ownOrder.status === 'completed' ? (
      <Notice tone="success" title="You bought this ticket">
        <Link href={`/orders/${ownOrder.id}`} className="link">
          See your order
        </Link>
      </Notice>
    ) : (
      <>
        <Notice tone="info" title="You have reserved this ticket">
          Pay before the reservation ends to make it yours.
        </Notice>
        <Link href={`/orders/${ownOrder.id}`} className="btn-primary w-full">
          Continue to payment
        </Link>
      </>
    );
  }
  if (ticket.status === 'reserved') {
    return (
      <Notice tone="warning" title="Reserved by another buyer">
        Someone is paying for this ticket right now, so it cannot be bought. If they do not complete
        the purchase in time, it becomes available again.
      </Notice>
    );
  }
  if (ticket.status === 'sold') {
    return (
      <Notice tone="info" title="Sold">
        This ticket has been sold and is no longer available.
      </Notice>
    );
  }
  if (ticket.status === 'withdrawn') {
    return (
      <Notice tone="info" title="Withdrawn">
        The seller has taken this ticket off sale.
      </Notice>
    );
  }
  if (started || ticket.startsAt === null) {
    return (
      <Notice tone="info" title={started ? 'This event has started' : 'No date yet'}>
        {started
          ? 'Tickets for it can no longer be bought.'
          : 'The seller has not given this event a date yet, so it cannot be bought.'}
      </Notice>
    );
  }
  if (!user) {
    return (
      <>
        <Link
          href={`/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}
          className="btn-primary w-full text-base"
        >
          Sign in to buy
        </Link>
        <p className="text-center text-sm text-slate-600">
          No account?{' '}
          <Link
            href={`/signup?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}
            className="link"
          >
            Sign up
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <BuyButton ticketId={ticket.id} price={formatPrice(ticket.price)} />
      <p className="flex items-start gap-2 text-sm text-slate-600">
        <LockIcon className="mt-0.5 size-4 shrink-0 text-slate-400" />
        Buying reserves the ticket for you while you pay; nobody else can buy it meanwhile.
      </p>
    </>
  );
}

function SellerPanel({ ticket }: { ticket: Ticket }) {
  return (
    <section aria-labelledby="edit-heading" className="card p-5 sm:p-8">
      <h2 id="edit-heading" className="text-lg font-semibold text-slate-900">
        Edit your listing
      </h2>
      <div className="mt-4">
        {ticket.status === 'available' ? (
          <div className="space-y-6">
            <TicketForm ticket={ticket} reservationWindowSeconds={reservationWindowSeconds()} />
            <div className="border-t border-slate-200 pt-5">
              <WithdrawButton ticketId={ticket.id} title={ticket.title} />
            </div>
          </div>
        ) : ticket.status === 'withdrawn' ? (
          <Notice tone="info" title="You withdrew this listing">
            Buyers no longer see it, and it cannot be edited or bought.
          </Notice>
        ) : ticket.status === 'reserved' ? (
          <Notice tone="warning" title="Editing is locked while the ticket is reserved">
            A buyer has reserved this ticket and is paying for it, so its details cannot change now.
            If the reservation ends without payment, you can edit it again.
          </Notice>
        ) : (
          <Notice tone="info" title="Sold tickets cannot be edited">
            This ticket has been sold, so its listing is final.
          </Notice>
        )}
      </div>
    </section>
  );
}
