/** Shown while the notifications page renders on the server. */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <span className="sr-only">Loading notifications…</span>
      <div className="mb-8 h-9 w-56 animate-pulse rounded-lg bg-slate-200" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="card space-y-2 p-5" aria-hidden="true">
          <div className="h-3 w-32 animate-pulse rounded bg-slate-200" />
          <div className="h-4 w-2/3 animate-pulse rounded bg-slate-200" />
          <div className="h-3 w-1/2 animate-pulse rounded bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
