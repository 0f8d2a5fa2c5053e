'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/lib/client-api';
import type { Ticket } from '@/lib/types';
import { FormErrors } from './alerts';
import { Spinner } from './icons';

/**
 * "Withdraw listing" (DELETE /api/tickets/:id) behind a confirmation: the first click asks,
 * the second withdraws. A withdrawn listing leaves the marketplace for good.
 */
export function WithdrawButton({ ticketId, title }: { ticketId: string; title: string }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  async function withdraw() {
    setBusy(true);
    setErrors([]);
    const result = await callApi<Ticket>('DELETE', `/api/tickets/${ticketId}`);
    setBusy(false);
    if (result.ok) {
      setAsking(false);
      router.refresh();
      return;
    }
    if (result.status === 401) {
      window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
      return;
    }
    setErrors(result.errors.map((e) => e.message));
    // 409: a buyer reserved it meanwhile; the page re-renders to say so.
    if (result.status === 409) router.refresh();
  }

  if (!asking) {
    return (
      <div className="space-y-2">
        <FormErrors messages={errors} />
        <button
          type="button"
          className="btn-secondary text-red-700"
          onClick={() => setAsking(true)}
          aria-label={`Withdraw listing: ${title}`}
        >
          Withdraw listing
        </button>
      </div>
    );
  }
  return (
    <div
      role="group"
      aria-labelledby={`withdraw-${ticketId}`}
      className="space-y-3 rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900"
    >
      <p id={`withdraw-${ticketId}`} className="font-semibold">
        Withdraw “{title}”? Buyers will no longer see or buy it. This cannot be undone.
      </p>
      <FormErrors messages={errors} />
      <div className="flex flex-col gap-2 sm:flex-row">
        <button
          type="button"
          className="btn-primary bg-red-700 hover:bg-red-800"
          disabled={busy}
          onClick={withdraw}
        >
          {busy && <Spinner />}
          Yes, withdraw it
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={busy}
          onClick={() => setAsking(false)}
        >
          Keep it listed
        </button>
      </div>
    </div>
  );
}
