import type { Mail } from '@ticketing/common';
import type { NotificationKind } from '../data/notification-repository.js';

/** How messages state things: where links point and in which time zone times are given. */
export interface MessageStyle {
  /** Origin of the storefront, for the links in mails (PUBLIC_URL). */
  publicUrl: string;
  /** IANA time zone of the dates and times in messages (MAIL_TIME_ZONE). */
  timeZone: string;
}

/** One notification's words: the in-app entry, and the mail sent with it (to be addressed). */
export interface Message {
  kind: NotificationKind;
  title: string;
  /** One or two plain sentences: the storefront's entry and the mail's opening. */
  body: string;
  /** A path of the storefront (`/orders/…`), or null when there is nothing to open. */
  link: string | null;
  /** Lines of facts the mail lists under the body (a receipt's), label then value. */
  facts?: Array<[string, string]>;
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Cents as the storefront shows prices: 2550 → "$25.50". */
export const formatAmount = (cents: number): string => money.format(cents / 100);

/** "Saturday, 5 June 2027 at 19:30 UTC", in the configured zone. */
export function formatTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(at);
  return `${text} ${timeZone === 'UTC' ? 'UTC' : `(${timeZone})`}`;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The mail of a notification: plain text and HTML with the same content. Titles and venues are
 * sellers' words, so HTML escapes them. No ticket code, token or card number is ever given to
 * this function: the service does not know them.
 */
export function mailOf(
  message: Message,
  to: { name: string; email: string },
  style: MessageStyle,
): Mail {
  const url = message.link ? new URL(message.link, style.publicUrl).toString() : undefined;
  const facts = message.facts ?? [];
  const text = [
    `Hello ${to.name},`,
    '',
    message.body,
    ...(facts.length ? ['', ...facts.map(([label, value]) => `${label}: ${value}`)] : []),
    ...(url ? ['', `Open it: ${url}`] : []),
    '',
    '— Ticketing',
  ].join('\n');
  const rows = facts
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>Hello ${escapeHtml(to.name)},</p>`,
    `<p>${escapeHtml(message.body)}</p>`,
    rows ? `<table>${rows}</table>` : '',
    url ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : '',
    '<p>— Ticketing</p></body></html>',
  ].join('');
  return { to: to.email, subject: message.title, text, html };
}

interface TicketFacts {
  title: string;
  venue: string | null;
  startsAt: Date | null;
}

const eventFacts = (ticket: TicketFacts, style: MessageStyle): Array<[string, string]> => [
  ['Event', ticket.title],
  ...(ticket.venue ? [['Venue', ticket.venue] as [string, string]] : []),
  ...(ticket.startsAt
    ? [['Date', formatTime(ticket.startsAt, style.timeZone)] as [string, string]]
    : []),
];

export const messages = {
  reservation: (
    order: { id: string; price: number; expiresAt: Date },
    ticket: TicketFacts,
    style: MessageStyle,
  ): Message => ({
    kind: 'reservation',
    title: `Reserved: ${ticket.title}`,
    body: `The ticket is yours until ${formatTime(order.expiresAt, style.timeZone)}: pay by then, or it goes back on sale.`,
    link: `/orders/${order.id}`,
    facts: [...eventFacts(ticket, style), ['Price', formatAmount(order.price)]],
  }),

  reservationEnding: (
    order: { id: string; expiresAt: Date },
    ticket: TicketFacts,
    style: MessageStyle,
  ): Message => ({
    kind: 'reservation-ending',
    title: `Your reservation ends soon: ${ticket.title}`,
    body: `Pay by ${formatTime(order.expiresAt, style.timeZone)} to keep the ticket; after that it goes back on sale.`,
    link: `/orders/${order.id}`,
  }),

  /** The receipt. `last4` is left out when the payment event did not carry it. */
  purchase: (
    order: { id: string },
    charge: { amount: number; last4: string | null },
    ticket: TicketFacts,
    style: MessageStyle,
  ): Message => ({
    kind: 'purchase',
    title: `Receipt: ${ticket.title}`,
    body: `You paid ${formatAmount(charge.amount)} for your ticket. The order page has your ticket and its receipt.`,
    link: `/orders/${order.id}`,
    facts: [
      ...eventFacts(ticket, style),
      ['Amount', formatAmount(charge.amount)],
      ...(charge.last4 ? [['Card', `ending in ${charge.last4}`] as [string, string]] : []),
      ['Order', order.id],
    ],
  }),

  sale: (
    ticket: TicketFacts & { id: string },
    charge: { amount: number },
    buyer: { name: string } | undefined,
    style: MessageStyle,
  ): Message => ({
    kind: 'sale',
    title: `Sold: ${ticket.title}`,
    body: `${buyer?.name ?? 'A buyer'} bought your ticket for ${formatAmount(charge.amount)}.`,
    link: `/tickets/${ticket.id}`,
    facts: [...eventFacts(ticket, style), ['Amount', formatAmount(charge.amount)]],
  }),

  expired: (
    order: { expiresAt: Date },
    ticket: TicketFacts & { id: string },
    style: MessageStyle,
  ): Message => ({
    kind: 'expired',
    title: `Reservation expired: ${ticket.title}`,
    body: `The ticket was not paid for by ${formatTime(order.expiresAt, style.timeZone)}, so it is back on sale.`,
    link: `/tickets/${ticket.id}`,
  }),

  /** `reason`: the administrator's words, when the event carries them. */
  suspended: (at: Date, reason: string | undefined, style: MessageStyle): Message => ({
    kind: 'suspended',
    title: 'Your account has been suspended',
    body: `An administrator suspended your account on ${formatTime(at, style.timeZone)}. You can no longer sign in; your listings were withdrawn and your unpaid orders cancelled.`,
    link: null,
    ...(reason ? { facts: [['Reason', reason] as [string, string]] } : {}),
  }),
};
