import Link from '@/components/link';
import type { Order, OrderState } from '@/lib/types';
import { OrderStateBadge } from './badges';
import { TicketIcon } from './icons';
import { LocalDate } from './local-date';

/**
 * The order page's header: the ticket (a link to it), when and where, the amount and the
 * order's state. `headingRef` is focused when the buyer arrives from Buy (use-order-focus.ts).
 */
export function OrderSummaryPanel({
  order,
  amount,
  state,
  headingRef,
}: {
  order: Order;
  /** The price, formatted. */
  amount: string;
  state: OrderState;
  headingRef: React.Ref<HTMLHeadingElement>;
}) {
  const { ticket } = order;
  return (
    <header className="card flex flex-col gap-4 p-5 sm:flex-row sm:items-center sm:justify-between sm:p-6">
      <div className="flex min-w-0 items-start gap-3">
        <span className="flex size-11 shrink-0 items-center justify-center rounded-xl bg-brand-50 text-brand-600">
          <TicketIcon className="size-6" />
        </span>
        <div className="min-w-0">
          <p className="text-sm text-slate-500">Order for</p>
          <h1
            ref={headingRef}
            tabIndex={-1}
            className="text-xl font-bold break-words text-slate-900 sm:text-2xl"
          >
            <Link href={`/tickets/${ticket.id}`} className="hover:underline">
              {ticket.title}
            </Link>
          </h1>
          {(ticket.startsAt || ticket.venue) && (
            <p className="mt-1 text-sm break-words text-slate-700">
              {ticket.startsAt && <LocalDate iso={ticket.startsAt} />}
              {ticket.startsAt && ticket.venue && ' · '}
              {ticket.venue}
            </p>
          )}
        </div>
      </div>
      <div className="flex items-center gap-3 sm:flex-col sm:items-end sm:gap-1">
        <span className="text-2xl font-bold whitespace-nowrap text-slate-900">{amount}</span>
        <OrderStateBadge state={state} />
      </div>
    </header>
  );
}
