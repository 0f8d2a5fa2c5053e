/** The shapes of API.md, as the client reads them. */

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
