'use client';

import { Notice } from '@/components/alerts';

/** A page whose data could not be loaded (the API unreachable or failing). */
export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <h1 className="text-2xl font-bold text-slate-900">Something went wrong</h1>
      <Notice tone="error" role="alert">
        This page could not be loaded. The marketplace may be briefly unavailable; please try again
        in a moment.
      </Notice>
      <button type="button" className="btn-primary" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
