'use client';

import { useState, type FormEvent } from 'react';
import type { Pay } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { CardIcon, LockIcon, Spinner } from './icons';
import { PayButton } from './pay-button';
import { PaymentDeclined } from './payment-declined';
import { useStripeCard } from './use-stripe-card';

/** Stripe mode: Stripe.js's card element (see use-stripe-card.ts), when a key is configured. */
export function StripeCardForm({
  publishableKey,
  amount,
  pay,
}: {
  publishableKey: string;
  amount: string;
  pay: Pay;
}) {
  const { mountPoint, ready, loadFailed, cardError, setCardError, createPaymentMethod } =
    useStripeCard(publishableKey);
  const [general, setGeneral] = useState<string[]>([]);
  const [declined, setDeclined] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setGeneral([]);
    setDeclined(null);
    const paymentMethodId = await createPaymentMethod();
    if (!paymentMethodId) return setBusy(false);
    const outcome = await pay(paymentMethodId);
    setBusy(false);
    if (outcome.kind === 'declined') {
      setDeclined(outcome.message);
      setCardError(`${outcome.message} Try another card.`);
    } else if (outcome.kind === 'error') {
      if (outcome.field === 'card') setCardError(outcome.messages.join(' '));
      else setGeneral(outcome.messages);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="pay-heading" className="space-y-5">
      <PaymentDeclined message={declined} />
      <FormErrors messages={general} />
      {loadFailed ? (
        <Notice tone="error" role="alert" title="The card form could not be loaded">
          Check your connection and reload the page.
        </Notice>
      ) : (
        <div>
          <p id="card-label" className="field-label flex items-center gap-1.5">
            <CardIcon className="size-4" />
            Card
          </p>
          <div
            role="group"
            aria-labelledby="card-label"
            aria-describedby={cardError ? 'card-error' : undefined}
            className="field-input relative flex min-h-12 items-center"
          >
            {/* Stripe owns this element's children; React never renders into it. */}
            <div ref={mountPoint} className="w-full" />
            {!ready && (
              <span className="absolute inset-x-3.5 flex items-center gap-2 text-sm text-slate-500">
                <Spinner /> Loading the secure card form…
              </span>
            )}
          </div>
          {cardError && (
            <p id="card-error" role="alert" className="field-error">
              {cardError}
            </p>
          )}
          <p className="field-hint flex items-center gap-1.5">
            <LockIcon className="size-4" />
            Card details go straight to Stripe; this site never sees them.
          </p>
        </div>
      )}
      <PayButton busy={busy} amount={amount} disabled={!ready} />
    </form>
  );
}
