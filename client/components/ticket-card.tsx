import Link from '@/components/link';
import { formatPrice } from '@/lib/format';
import type { Ticket } from '@/lib/types';
import { TicketStatusBadge } from './badges';
import { ClockIcon, TicketIcon } from './icons';
import { LocalDate } from './local-date';

/**
 * A ticket as a card shaped like a ticket: the event on the left, the price on the stub.
 * The whole card is one link (its title), so keyboard users tab once per ticket.
 */
export function TicketCard({
  ticket,
  showStatus = false,
  mine = false,
}: {
  ticket: Ticket;
  showStatus?: boolean;
  mine?: boolean;
}) {
  return (
    <li className="group relative flex min-h-36 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm transition hover:-translate-y-0.5 hover:border-brand-200 hover:shadow-md has-[a:focus-visible]:outline-3 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-600">
      <div className="flex min-w-0 flex-1 flex-col gap-2 p-4 sm:p-5">
        <div className="flex items-center gap-2 text-xs font-medium text-brand-700">
          <TicketIcon className="size-4" />
          <span className="truncate">
            {mine ? 'Your listing' : `Listed by ${ticket.seller.name ?? 'a seller'}`}
          </span>
        </div>
        <h2 className="text-base leading-snug font-semibold text-slate-900 sm:text-lg">
          <Link
            href={`/tickets/${ticket.id}`}
            className="line-clamp-2 break-words outline-none after:absolute after:inset-0 after:content-['']"
          >
            {ticket.title}
          </Link>
        </h2>
        {(ticket.venue || ticket.startsAt) && (
          <p className="flex items-start gap-1.5 text-sm text-slate-700">
            <ClockIcon className="mt-0.5 size-4 shrink-0 text-slate-400" />
            <span className="min-w-0 break-words">
              {ticket.startsAt && <LocalDate iso={ticket.startsAt} className="font-medium" />}
              {ticket.startsAt && ticket.venue && ' · '}
              {ticket.venue}
            </span>
          </p>
        )}
        {ticket.description && (
          <p className="line-clamp-2 text-sm break-words text-slate-600">{ticket.description}</p>
        )}
        {showStatus && (
          <div className="mt-auto pt-1">
            <TicketStatusBadge status={ticket.status} />
          </div>
        )}
      </div>
      {/* The stub: a dashed tear line with two notches, and the price, never broken. */}
      <div className="relative flex min-w-24 shrink-0 flex-col items-center justify-center border-l-2 border-dashed border-slate-200 bg-brand-50 px-2 text-center sm:min-w-28 sm:px-3">
        <span
          aria-hidden="true"
          className="absolute -top-3 -left-3 size-6 rounded-full border border-slate-200 bg-slate-50"
        />
        <span
          aria-hidden="true"
          className="absolute -bottom-3 -left-3 size-6 rounded-full border border-slate-200 bg-slate-50"
        />
        <span className="text-xs font-medium tracking-wide text-brand-700 uppercase">Price</span>
        <span className="mt-0.5 text-base font-bold whitespace-nowrap text-brand-900 tabular-nums sm:text-lg xl:text-xl">
          {formatPrice(ticket.price)}
        </span>
      </div>
    </li>
  );
}

export function TicketGrid({ children }: { children: React.ReactNode }) {
  return <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{children}</ul>;
}
