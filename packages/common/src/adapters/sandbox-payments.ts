// `@ticketing/common/sandbox-payments`: The sandbox payment provider: Stripe's test mode without an account (test cards).
// An adapter: a host chooses it; services see only its port (see docs/decisions/0031).
export * from '../payments/sandbox-provider.js';
