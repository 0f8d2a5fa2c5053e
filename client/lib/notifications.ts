/** The Notifications shapes of API.md, and how the bell hears that the count changed. */

export type NotificationKind =
  'reservation' | 'reservation-ending' | 'purchase' | 'sale' | 'expired' | 'suspended';

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

export interface NotificationPage {
  unread: number;
  items: AppNotification[];
}

/** Dispatched on `window` with the new unread count whenever the page marks some read. */
export const UNREAD_CHANGED = 'ticketing:unread-notifications';

export function announceUnread(unread: number): void {
  window.dispatchEvent(new CustomEvent<number>(UNREAD_CHANGED, { detail: unread }));
}

/** What the link of a notification opens, said on its button. */
export const linkLabel = (link: string): string =>
  link.startsWith('/orders/')
    ? 'View order'
    : link.startsWith('/tickets/')
      ? 'View ticket'
      : 'Open';
