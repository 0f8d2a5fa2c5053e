'use client';

import type { Stripe, StripeCardElement } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure';
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Stripe.js's card element, mounted into `mountPoint`. Stripe.js is loaded only here, when the
 * form is shown, which it is only when a publishable key is configured: `@stripe/stripe-js/pure`
 * adds its script tag when `loadStripe` is called, not on import (the package's root entry
 * would add it to every page that imports it). The tag is added by this bundle's code, which
 * the page's CSP trusts through its nonce; 'strict-dynamic' (proxy.ts) passes that trust on to
 * the script it adds, so the tag needs no nonce of its own.
 *
 * UNTESTED HERE: this machine cannot reach js.stripe.com, so no test covers this form. It
 * follows Stripe's documented card-element flow: mount `elements().create('card')`, then
 * `createPaymentMethod`, whose PaymentMethod id (pm_…) the caller sends as the payment's
 * `token`, which the payments service confirms as a PaymentIntent.
 */
export function useStripeCard(publishableKey: string) {
  const mountPoint = useRef<HTMLDivElement>(null);
  const stripe = useRef<Stripe | null>(null);
  const card = useRef<StripeCardElement | null>(null);
  const [ready, setReady] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);
  /** Stripe's message about the card typed, or ours about a declined or unreadable one. */
  const [cardError, setCardError] = useState<string | undefined>();

  useEffect(() => {
    let element: StripeCardElement | null = null;
    let unmounted = false;
    loadStripe(publishableKey).then(
      (instance) => {
        if (unmounted || !mountPoint.current) return;
        // null only where there is no window, which an effect never runs in.
        if (!instance) return setLoadFailed(true);
        stripe.current = instance;
        element = instance.elements().create('card', {
          hidePostalCode: true,
          style: {
            base: { fontSize: '16px', color: '#0f172a', '::placeholder': { color: '#94a3b8' } },
          },
        });
        element.mount(mountPoint.current);
        element.on('change', (e) => setCardError(e.error?.message));
        card.current = element;
        setReady(true);
      },
      // The script could not be fetched (offline, blocked), even on the loader's one retry.
      () => {
        if (!unmounted) setLoadFailed(true);
      },
    );
    return () => {
      unmounted = true;
      element?.destroy();
      card.current = null;
      stripe.current = null;
      setReady(false);
    };
  }, [publishableKey]);

  /**
   * Asks Stripe for a PaymentMethod from the card typed: its id, or null after showing why
   * there is none in `cardError`. Null at once while the element is not mounted.
   */
  const createPaymentMethod = useCallback(async (): Promise<string | null> => {
    if (!stripe.current || !card.current) return null;
    const { paymentMethod, error } = await stripe.current.createPaymentMethod({
      type: 'card',
      card: card.current,
    });
    if (error || !paymentMethod) {
      setCardError(error?.message ?? 'The card could not be read. Check it and try again.');
      return null;
    }
    return paymentMethod.id;
  }, []);

  return { mountPoint, ready, loadFailed, cardError, setCardError, createPaymentMethod };
}
