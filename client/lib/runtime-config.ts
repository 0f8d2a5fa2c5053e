/**
 * Settings read when a request is served, not when the app is built, so one build runs
 * anywhere (the embedded host, a container in Kubernetes) with the environment it is given.
 */

const API_ORIGIN_KEY = Symbol.for('ticketing.client.apiOrigin');

/**
 * Where server-side rendering sends API calls. The embedded host passes it to
 * `createClientHandler` (server.mjs), which stores it (a string, or a function asked each
 * time) on globalThis; `next start` reads API_ORIGIN (in Kubernetes, the ingress's in-cluster
 * address). Without either, the same host on PORT (3000).
 */
export function apiOrigin(): string {
  const given = (globalThis as Record<symbol, unknown>)[API_ORIGIN_KEY];
  const fromHost = typeof given === 'function' ? (given as () => unknown)() : given;
  const origin =
    (typeof fromHost === 'string' && fromHost) ||
    readEnv('API_ORIGIN') ||
    `http://127.0.0.1:${readEnv('PORT') || '3000'}`;
  return origin.replace(/\/+$/, '');
}

/**
 * Stripe's publishable key, when Stripe is the payment provider. Named NEXT_PUBLIC_… as
 * Next.js convention has it, but read at request time on the server and handed to the payment
 * form as a prop, so it need not be present at build time.
 */
export function stripePublishableKey(): string | undefined {
  return readEnv('NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY') || undefined;
}

/**
 * How long a reservation lasts at most, in seconds: the orders service's
 * RESERVATION_WINDOW_SECONDS when this process is given it too, else its default (15 minutes).
 * Used only to tell a seller by when a reservation ends.
 */
export function reservationWindowSeconds(): number {
  const seconds = Number(readEnv('RESERVATION_WINDOW_SECONDS'));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 15 * 60;
}

/** A lookup by a computed name, so the bundler cannot inline a build-time value. */
function readEnv(name: string): string | undefined {
  const value = Reflect.get(process.env, name) as string | undefined;
  return value?.trim() || undefined;
}
