/**
 * The few parts of Stripe.js (https://js.stripe.com/v3) the payment form uses. No package
 * provides them here: Stripe.js is loaded by a script tag, only when a publishable key is set.
 */
interface StripeCardElement {
  mount(target: HTMLElement | string): void;
  destroy(): void;
  on(
    event: 'change',
    handler: (e: { error?: { message: string }; complete: boolean }) => void,
  ): void;
  focus(): void;
}

interface StripeElements {
  create(type: 'card', options?: Record<string, unknown>): StripeCardElement;
}

interface StripeInstance {
  elements(options?: Record<string, unknown>): StripeElements;
  createPaymentMethod(options: {
    type: 'card';
    card: StripeCardElement;
  }): Promise<{ paymentMethod?: { id: string }; error?: { message?: string } }>;
}

interface Window {
  Stripe?: (publishableKey: string) => StripeInstance;
}
