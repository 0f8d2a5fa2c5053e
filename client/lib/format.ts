import type { Order, OrderState, TicketStatus } from './types';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Prices are currency units with at most 2 decimals (API.md); shown as dollars. */
export const formatPrice = (price: number) => money.format(price);

/** "04:59", or "1:04:59" past an hour. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** "4 minutes 59 seconds", for screen readers. */
export function describeRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts = [];
  if (m > 0) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  if (s > 0 || m === 0) parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}

export const ticketStatusLabel: Record<TicketStatus, string> = {
  available: 'Available',
  reserved: 'Reserved',
  sold: 'Sold',
  withdrawn: 'Withdrawn',
};

/**
 * An event's start, readable: "Sat, Jun 5, 2027, 7:30 PM". `timeZone` is the browser's when
 * rendered there (LocalDate), UTC on the server, which does not know the visitor's zone.
 */
export function formatEventDate(iso: string, timeZone?: string): string {
  const { date, time } = formatEventDateParts(iso, timeZone);
  return date + time;
}

/**
 * `formatEventDate` in two pieces: the date with the separator after it ("Sat, Jun 5, 2027, ")
 * and the time ("7:30 PM", "7:30 PM UTC"), so that a page can keep the time on one line: the
 * space before "PM" is a plain one, where a line may break.
 */
export function formatEventDateParts(
  iso: string,
  timeZone?: string,
): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    ...(timeZone === 'UTC' ? { timeZoneName: 'short' } : {}),
  }).formatToParts(new Date(iso));
  const hour = parts.findIndex((p) => p.type === 'hour');
  // V8's `format` gives a plain space where ICU (and so `formatToParts`) has U+202F.
  const text = (some: Intl.DateTimeFormatPart[]) =>
    some.map((p) => p.value.replace(/\u202f/g, ' ')).join('');
  return hour < 0
    ? { date: text(parts), time: '' }
    : { date: text(parts.slice(0, hour)), time: text(parts.slice(hour)) };
}

/**
 * An order's state as the buyer understands it. A cancelled order says why for ever, from its
 * `cancelReason` (API.md v2); one without a reason (an older API) reads as cancelled. An
 * unpaid order whose window has passed is shown as expired until the API catches up.
 */
export function orderState(
  order: Pick<Order, 'status' | 'expiresAt' | 'cancelReason'>,
  now = Date.now(),
): OrderState {
  switch (order.status) {
    case 'completed':
      return 'paid';
    case 'awaiting_payment':
      return 'processing';
    case 'cancelled':
      if (order.cancelReason === 'expired') return 'expired';
      if (order.cancelReason === 'suspended') return 'suspended';
      return 'cancelled';
    case 'created':
      return Date.parse(order.expiresAt) <= now ? 'expired' : 'reserved';
  }
}

export const orderStateLabel: Record<OrderState, string> = {
  reserved: 'Awaiting payment',
  processing: 'Processing payment',
  paid: 'Paid',
  cancelled: 'Cancelled',
  expired: 'Expired',
  suspended: 'Cancelled by us',
};
