/** How the bell hears that the unread count changed, and how a notification's link is named. */

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
