import { NextResponse, type NextRequest } from 'next/server';
import { MISSING_KIND_HEADER, missingPage } from './lib/missing-page';
import { stripePublishableKey } from './lib/runtime-config';

/**
 * Every page gets a Content-Security-Policy with a fresh nonce. Next.js reads the nonce from
 * the request's CSP header and puts it on its own scripts, so script-src needs neither
 * 'unsafe-inline' nor a list of hosts ('strict-dynamic' lets those scripts load the chunks, and
 * the Stripe.js that the payment form adds when a publishable key is set).
 * Styles allow 'unsafe-inline': a few elements (the countdown's progress bar) set a style
 * attribute, and Stripe's card element injects styles; an injected style cannot run code.
 */
export async function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV === 'development',
    stripe: stripePublishableKey() !== undefined,
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  // A missing ticket, order or malformed path: app/not-found.tsx, server-rendered, status 404.
  const missing = await missingPage(request.nextUrl.pathname, request.headers.get('cookie'));
  if (missing) requestHeaders.set(MISSING_KIND_HEADER, missing);
  const response = missing
    ? NextResponse.rewrite(new URL('/_missing', request.url), {
        request: { headers: requestHeaders },
      })
    : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

function contentSecurityPolicy(nonce: string, options: { dev: boolean; stripe: boolean }) {
  const stripe = options.stripe;
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // React uses eval in development only, to rebuild server error stacks in the browser.
    'script-src': [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(options.dev ? ["'unsafe-eval'"] : []),
    ],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...(stripe ? ['https://*.stripe.com'] : [])],
    'font-src': ["'self'", 'data:'],
    'connect-src': [
      "'self'",
      ...(stripe ? ['https://api.stripe.com'] : []),
      ...(options.dev ? ['ws:', 'wss:'] : []),
    ],
    'frame-src': stripe ? ['https://js.stripe.com', 'https://hooks.stripe.com'] : ["'none'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

export const config = {
  matcher: [
    // Pages only: not the API (served before Next.js anyway), not static assets.
    '/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)',
  ],
};
