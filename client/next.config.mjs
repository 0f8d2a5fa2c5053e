import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants.js';

const here = dirname(fileURLToPath(import.meta.url));
// npm workspaces hoist `next` and `react` to the repository root: build from there.
const repoRoot = join(here, '..');

/**
 * The storefront. Pages get their Content-Security-Policy (with a per-request nonce) from
 * `proxy.ts`; the headers below are the static ones.
 *
 * @param {string} phase
 * @returns {import('next').NextConfig}
 */
export default function nextConfig(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    turbopack: { root: repoRoot },
    outputFileTracingRoot: repoRoot,
    async headers() {
      return [
        {
          source: '/:path*',
          headers: [
            { key: 'X-Content-Type-Options', value: 'nosniff' },
            { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
            { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
          ],
        },
        {
          // Opened from the mailed link with the reset token in its address: nothing this
          // page loads or links to may be told that address (the later entry wins).
          source: '/reset-password',
          headers: [{ key: 'Referrer-Policy', value: 'no-referrer' }],
        },
      ];
    },
    // `next dev` alone has no API behind it. In production the host (embedded mode) or the
    // ingress (Kubernetes) routes /api/* to the services before a request reaches Next.js, so
    // this dev-only rewrite makes `next dev` behave the same: the browser keeps calling
    // same-origin /api/... and the session cookie stays first-party.
    async rewrites() {
      if (!dev) return [];
      const api = process.env.API_ORIGIN ?? 'http://127.0.0.1:3100';
      return [{ source: '/api/:path*', destination: `${api}/api/:path*` }];
    },
  };
}
