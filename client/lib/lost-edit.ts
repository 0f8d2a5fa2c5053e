import { callApi } from './client-api';
import type { Ticket } from './types';

const FIFTEEN_MINUTES = 15 * 60;

/**
 * What a seller is told when saving an edit is refused (409) because the ticket changed hands
 * meanwhile: that nothing was saved, why, and — for a reservation — by when it ends. The API
 * does not say when a buyer's reservation ends (their order is theirs to see), but it began at
 * the latest now and lasts at most `windowSeconds`, so now + the window is a true "by".
 */
export async function lostEditMessage(
  ticketId: string,
  windowSeconds = FIFTEEN_MINUTES,
): Promise<string> {
  const now = await callApi<Ticket>('GET', `/api/tickets/${ticketId}`);
  const status = now.ok ? now.data.status : null;
  if (status === 'sold') {
    return 'Your changes were not saved: the ticket has just been sold, so its listing is final.';
  }
  if (status === 'reserved') {
    const by = new Date(Date.now() + windowSeconds * 1000).toLocaleTimeString([], {
      hour: 'numeric',
      minute: '2-digit',
    });
    return (
      'Your changes were not saved: a buyer reserved this ticket a moment ago, and a reserved ' +
      `ticket cannot change. The reservation ends by ${by} at the latest; if they have not ` +
      'paid by then, save your changes again.'
    );
  }
  return 'Your changes were not saved: the ticket changed while you were editing. Reload the page to see it as it is now.';
}
