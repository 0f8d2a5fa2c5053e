'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi, sleep } from '@/lib/client-api';
import { requestFocus } from '@/lib/focus-request';
import type { Order } from '@/lib/types';
import { FormErrors } from './alerts';
import { Spinner } from './icons';

/**
 * A ticket listed a moment ago may not have reached the orders service yet (its replica is
 * eventually consistent), and POST /api/orders answers 404 meanwhile. The ticket page has just
 * shown that the ticket exists, so a 404 here means "not yet": wait and ask again.
 */
const NOT_YET_DELAYS_MS = [100, 200, 400, 800, 1500, 2500];

export function BuyButton({ ticketId, price }: { ticketId: string; price: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  async function buy() {
    setBusy(true);
    setErrors([]);
    let result = await callApi<Order>('POST', '/api/orders', { ticketId });
    for (const delay of NOT_YET_DELAYS_MS) {
      if (result.ok || result.status !== 404) break;
      await sleep(delay);
      result = await callApi<Order>('POST', '/api/orders', { ticketId });
    }
    if (result.ok) {
      requestFocus('order');
      router.push(`/orders/${result.data.id}`);
      return;
    }
    setBusy(false);
    if (result.status === 401) {
      window.location.assign(`/signin?next=${encodeURIComponent(`/tickets/${ticketId}`)}`);
      return;
    }
    if (result.status === 409) {
      setErrors(['Someone else has just reserved this ticket. It is no longer available to buy.']);
      router.refresh();
      return;
    }
    if (result.status === 404) {
      setErrors(['This ticket is not ready for sale yet. Please try again in a moment.']);
      return;
    }
    setErrors(result.errors.map((e) => e.message));
  }

  return (
    <div className="space-y-3">
      <FormErrors messages={errors} />
      <button type="button" className="btn-primary w-full text-base" disabled={busy} onClick={buy}>
        {busy && <Spinner />}
        {busy ? 'Reserving…' : `Buy for ${price}`}
      </button>
    </div>
  );
}
