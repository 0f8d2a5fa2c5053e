/**
 * Every shape the client works with, in one place: first the API's (API.md), as the client
 * reads them, then the views' own (what a page derives from them and hands between components).
 */

export interface User {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  /** (v2) `["admin"]` for administrators. */
  roles?: string[];
  suspended?: boolean;
}

/** (v2) A user as an administrator sees it (GET /api/users?email=, the suspension routes). */
export interface AdminUser extends User {
  suspended: boolean;
  suspension: { reason: string; since: string } | null;
}

export type TicketStatus = 'available' | 'reserved' | 'sold' | 'withdrawn';

export interface Ticket {
  id: string;
  title: string;
  description: string | null;
  price: number;
  venue: string | null;
  /** ISO-8601 in UTC; null only for listings from before events had dates. */
  startsAt: string | null;
  /** Only on GET /api/tickets/:id for its seller, or its buyer once paid. */
  code?: string | null;
  userId: string;
  orderId: string | null;
  status: TicketStatus;
  version: number;
  seller: { id: string; name: string | null };
}

export type OrderStatus = 'created' | 'awaiting_payment' | 'completed' | 'cancelled';

/** Why a cancelled order was cancelled (API.md v2): by its buyer, its window's end, a suspension. */
export type CancelReason = 'buyer' | 'expired' | 'suspended';

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  expiresAt: string;
  version: number;
  ticket: {
    id: string;
    title: string;
    price: number;
    venue?: string | null;
    startsAt?: string | null;
  };
  /** On cancelled orders only. */
  cancelReason?: CancelReason;
  createdAt?: string;
  /** On completed orders only: when it was paid. */
  paidAt?: string;
}

export interface Charge {
  id: string;
  orderId: string;
  status: 'created' | 'failed' | 'completed';
  amount: number;
  providerId: string | null;
  refundId: string | null;
  createdAt: string;
  /** The card's last four digits, when the provider told them. */
  last4: string | null;
}

/** One of the seller's sold tickets (GET /api/sales). */
export interface Sale {
  ticket: { id: string; title: string; venue: string | null; startsAt: string | null };
  orderId: string;
  buyer: { id: string; name: string | null };
  amount: number;
  soldAt: string;
}

/** One entry of the API's `{"errors":[...]}`; `field` names the invalid input, if any. */
export interface ApiError {
  message: string;
  field?: string;
}

export type ApiResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; errors: ApiError[]; retryAfter?: number };

/** GET /api/users/currentuser's body. */
export interface CurrentUserBody {
  currentUser: User | null;
}

export type NotificationKind =
  'reservation' | 'reservation-ending' | 'purchase' | 'sale' | 'expired' | 'suspended';

/** One notification (GET /api/notifications). */
export interface AppNotification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** A storefront path (`/orders/…`, `/tickets/…`), or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

/** GET /api/notifications's body: a page of notifications and the count still unread. */
export interface NotificationPage {
  unread: number;
  items: AppNotification[];
}

/** POST /api/notifications/read's body: the count still unread after marking. */
export type UnreadCount = Pick<NotificationPage, 'unread'>;

// ---------------------------------------------------------------------------------------------
// The views' own shapes.
// ---------------------------------------------------------------------------------------------

/** The filters of the ticket list that the home page keeps in its URL, as the API names them. */
export type TicketFilters = Partial<
  Record<'q' | 'sort' | 'minPrice' | 'maxPrice' | 'from' | 'to' | 'tz', string>
>;

/** What the home page's address asks for: the filters, cleaned, and the page (from 1). */
export interface ListingQuery {
  filters: TicketFilters;
  /** The search text, without the characters no title can hold; '' for none. */
  q: string;
  /** Characters were left out of the search typed. */
  droppedCharacters: boolean;
  /** A filter other than the search and the order is set. */
  filtered: boolean;
  page: number;
}

/** The signed-in visitor as the site header shows them; null when signed out. */
export type Visitor = Pick<User, 'name' | 'email'> | null;

/**
 * An order's state as the buyer understands it (lib/format.ts `orderState`): a cancelled order
 * says why; an unpaid order whose window has passed is expired.
 */
export type OrderState = 'reserved' | 'processing' | 'paid' | 'cancelled' | 'expired' | 'suspended';

/**
 * What the buyer of a completed order reads from other services: the ticket (with its `code`,
 * shown by tickets to the buyer once it has learnt the order was paid) and the completed charge
 * (paid amount, card's last four). Both are eventually consistent with the order.
 */
export interface Purchase {
  ticket: Ticket;
  charge: Charge | null;
}

/** What a payment attempt came to, as the order page reports it back to a payment form. */
export type PaymentOutcome =
  | { kind: 'paid' }
  | { kind: 'declined'; message: string }
  | { kind: 'error'; messages: string[]; field?: 'card' };

/** Sends one payment source (a token, a PaymentMethod id or a test card number) to the API. */
export type Pay = (token: string) => Promise<PaymentOutcome>;

/**
 * A form's errors (lib/errors.ts `splitErrors`): the messages shown next to a field, by the
 * field's name, and the rest, shown at the top of the form.
 */
export interface SplitErrors {
  byField: Record<string, string>;
  general: string[];
}
