// `@ticketing/common/stripe`: Stripe (the official SDK, PaymentIntents), the payment provider when a secret key is set.
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../payments/stripe-provider.js';
