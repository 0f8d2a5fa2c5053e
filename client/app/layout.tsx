import type { Metadata, Viewport } from 'next';
import { Suspense, type ReactNode } from 'react';
import Link from '@/components/link';
import { NavigationProgress } from '@/components/navigation-progress';
import { RefreshOnReturn } from '@/components/refresh-on-return';
import { SiteHeader } from '@/components/site-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Ticketing — buy and sell event tickets', template: '%s · Ticketing' },
  description: 'A marketplace where people sell and buy tickets for events.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#5b3fd6',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="sr-only z-50 rounded-lg bg-white px-4 py-2 font-semibold text-brand-700 shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
        >
          Skip to content
        </a>
        <Suspense>
          <NavigationProgress />
        </Suspense>
        <RefreshOnReturn />
        <SiteHeader />
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 outline-none sm:px-6 sm:py-10"
        >
          {children}
        </main>
        <footer className="border-t border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl flex-col gap-1 px-4 py-6 text-sm text-slate-500 sm:flex-row sm:justify-between sm:px-6">
            <p>Ticketing — a peer-to-peer marketplace for event tickets.</p>
            <p>
              A purchase holds the ticket for you while you pay. ·{' '}
              <Link href="/api-docs" className="hover:text-slate-700 hover:underline">
                API reference
              </Link>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
