import type { ReactNode } from 'react';
import { AlertIcon, CheckCircleIcon, InfoIcon } from './icons';

/** Errors that belong to no single field, announced when they appear. */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div
      role="alert"
      className="flex gap-3 rounded-xl border border-red-200 bg-red-50 p-3.5 text-sm text-red-800"
    >
      <AlertIcon className="mt-0.5 size-5 shrink-0" />
      <div className="space-y-1">
        {messages.map((m) => (
          <p key={m}>{m}</p>
        ))}
      </div>
    </div>
  );
}

const tones = {
  info: { box: 'border-sky-200 bg-sky-50 text-sky-900', Icon: InfoIcon },
  success: { box: 'border-emerald-200 bg-emerald-50 text-emerald-900', Icon: CheckCircleIcon },
  warning: { box: 'border-amber-200 bg-amber-50 text-amber-900', Icon: AlertIcon },
  error: { box: 'border-red-200 bg-red-50 text-red-900', Icon: AlertIcon },
} as const;

export function Notice({
  tone,
  title,
  children,
  role,
}: {
  tone: keyof typeof tones;
  title?: string;
  children?: ReactNode;
  role?: 'status' | 'alert';
}) {
  const { box, Icon } = tones[tone];
  return (
    <div role={role} className={`flex gap-3 rounded-xl border p-4 text-sm ${box}`}>
      <Icon className="mt-0.5 size-5 shrink-0" />
      <div className="min-w-0 space-y-1">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className="leading-relaxed">{children}</div>}
      </div>
    </div>
  );
}
