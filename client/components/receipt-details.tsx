import { formatPrice } from '@/lib/format';
import type { Charge, Order, Ticket } from '@/lib/types';
import { LocalDate } from './local-date';

/**
 * The facts of a paid order, as a receipt lists them: the ticket, the event (venue and local
 * start), the order number, when it was paid, the amount and the card's last four digits.
 * The amount is the charge's, or the order's price when the charge could not be read.
 */
export function ReceiptDetails({
  order,
  ticket,
  charge,
}: {
  order: Order;
  ticket: Pick<Ticket, 'title' | 'venue' | 'startsAt'> & { seller?: Ticket['seller'] };
  charge: Charge | null;
}) {
  const rows: Array<[string, React.ReactNode]> = [
    ['Ticket', ticket.title],
    [
      'Event',
      <>
        {ticket.startsAt ? <LocalDate iso={ticket.startsAt} /> : 'Date not given'}
        {ticket.venue && ` · ${ticket.venue}`}
      </>,
    ],
    ...(ticket.seller?.name ? [['Seller', ticket.seller.name] as [string, string]] : []),
    ['Order number', <span className="font-mono text-xs break-all">{order.id}</span>],
    ['Paid on', order.paidAt ? <LocalDate iso={order.paidAt} /> : 'Paid'],
    ['Amount', formatPrice(charge?.amount ?? order.ticket.price)],
    ['Card', charge?.last4 ? `•••• ${charge.last4}` : 'Not shown by the card processor'],
  ];
  return (
    <dl className="mt-4 divide-y divide-slate-100 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="grid grid-cols-[8rem_minmax(0,1fr)] gap-3 py-2.5">
          <dt className="text-slate-500">{label}</dt>
          <dd className="font-medium break-words text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
