import { orderStateLabel, ticketStatusLabel } from '@/lib/format';
import type { OrderState } from '@/lib/types';
import type { TicketStatus } from '@/lib/types';

const base =
  'inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset whitespace-nowrap';

const ticketTone: Record<TicketStatus, string> = {
  available: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  reserved: 'bg-amber-50 text-amber-800 ring-amber-200',
  sold: 'bg-slate-100 text-slate-700 ring-slate-300',
  withdrawn: 'bg-rose-50 text-rose-800 ring-rose-200',
};

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  return (
    <span className={`${base} ${ticketTone[status]}`}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
      {ticketStatusLabel[status]}
    </span>
  );
}

const orderTone: Record<OrderState, string> = {
  reserved: 'bg-amber-50 text-amber-800 ring-amber-200',
  processing: 'bg-sky-50 text-sky-800 ring-sky-200',
  paid: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  cancelled: 'bg-slate-100 text-slate-700 ring-slate-300',
  expired: 'bg-slate-100 text-slate-700 ring-slate-300',
  suspended: 'bg-red-50 text-red-800 ring-red-200',
};

export function OrderStateBadge({ state }: { state: OrderState }) {
  return (
    <span className={`${base} ${orderTone[state]}`}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
      {orderStateLabel[state]}
    </span>
  );
}

/** An account as an administrator sees it: active, or suspended. */
export function AccountStateBadge({ suspended }: { suspended: boolean }) {
  const tone = suspended
    ? 'bg-red-50 text-red-800 ring-red-200'
    : 'bg-emerald-50 text-emerald-800 ring-emerald-200';
  return (
    <span className={`${base} ${tone}`}>
      <span className="size-1.5 rounded-full bg-current" aria-hidden="true" />
      {suspended ? 'Suspended' : 'Active'}
    </span>
  );
}
