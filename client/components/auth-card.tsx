import type { ReactNode } from 'react';
import { TicketIcon } from './icons';

export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto w-full max-w-md">
      <div className="mb-6 text-center">
        <span className="mx-auto flex size-12 items-center justify-center rounded-2xl bg-brand-600 text-white shadow-sm">
          <TicketIcon className="size-6" />
        </span>
        <h1 className="mt-4 text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
        <p className="mt-1 text-slate-600">{subtitle}</p>
      </div>
      <div className="card p-5 sm:p-8">{children}</div>
    </div>
  );
}
