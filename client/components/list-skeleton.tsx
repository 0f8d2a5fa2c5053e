/** Grey placeholders in the shape of a list, announced once, while a page's data loads. */
export function ListSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3">
      <span className="sr-only">{label}…</span>
      <div className="h-8 w-48 animate-pulse rounded-lg bg-slate-200" />
      {[0, 1, 2].map((i) => (
        <div key={i} className="card h-20 animate-pulse bg-slate-100" />
      ))}
    </div>
  );
}
