'use client';

import './globals.css';

/** The last resort, when even the root layout fails: a page of its own, with its own html. */
export default function GlobalError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh items-center justify-center p-6">
        <main className="max-w-md space-y-4 text-center">
          <h1 className="text-2xl font-bold">Something went wrong</h1>
          <p className="text-slate-600">
            The marketplace could not be loaded. Please try again in a moment.
          </p>
          <button type="button" className="btn-primary" onClick={() => retry()}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
