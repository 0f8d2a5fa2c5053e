import type { ReactNode } from 'react';
import { TicketIcon } from './icons';

export function EmptyState({
  title,
  children,
  action,
  headingLevel = 2,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  /** 1 when the empty state is the whole page (a 404), else 2 under the page's h1. */
  headingLevel?: 1 | 2;
}) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <div className="flex flex-col items-center rounded-2xl border-2 border-dashed border-slate-200 bg-white/60 px-6 py-14 text-center">
      <div className="flex size-14 items-center justify-center rounded-2xl bg-brand-50 text-brand-600">
        <TicketIcon className="size-7" />
      </div>
      <Heading
        className={`mt-4 text-slate-900 ${headingLevel === 1 ? 'text-2xl font-bold' : 'text-lg font-semibold'}`}
      >
        {title}
      </Heading>
      {children && <div className="mt-1.5 max-w-md text-sm text-slate-600">{children}</div>}
      {action && <div className="mt-6">{action}</div>}
    </div>
  );
}
