'use client';

import { useEffect, useRef, useState } from 'react';
import { callApi } from '@/lib/client-api';
import type { Order } from '@/lib/types';
import { FormErrors } from './alerts';
import { Spinner } from './icons';

/** Cancelling asks once more, inline (no browser dialog), then releases the ticket. */
export function CancelOrder({
  orderId,
  onCancelled,
  onConflict,
}: {
  orderId: string;
  onCancelled: (order: Order) => void;
  onConflict: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  async function cancel() {
    setBusy(true);
    setErrors([]);
    const result = await callApi<Order>('DELETE', `/api/orders/${orderId}`);
    setBusy(false);
    if (result.ok) return onCancelled(result.data);
    setErrors(result.errors.map((e) => e.message));
    if (result.status === 409) onConflict();
  }

  return (
    <div className="space-y-3">
      <FormErrors messages={errors} />
      {confirming ? (
        <div className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-slate-700">
            Cancel this order? The ticket goes back on sale for everyone.
          </p>
          <div className="flex shrink-0 gap-2">
            <button
              ref={confirmButton}
              type="button"
              className="btn-danger"
              disabled={busy}
              onClick={cancel}
            >
              {busy && <Spinner />}
              Yes, cancel order
            </button>
            <button
              type="button"
              className="btn-ghost"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div className="flex justify-center">
          <button
            type="button"
            className="btn-ghost text-slate-600"
            onClick={() => setConfirming(true)}
          >
            Cancel order
          </button>
        </div>
      )}
      {!confirming && (
        <p className="text-center text-sm text-slate-500">
          Cancelling releases the ticket at once; if you do nothing, the reservation ends by itself
          when the time runs out.
        </p>
      )}
    </div>
  );
}
