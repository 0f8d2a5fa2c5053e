import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import { AlertIcon } from './icons';

interface FieldShell {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Shown after the label, e.g. "optional". */
  aside?: string;
}

/**
 * A labelled input with its hint and its error underneath; the input points at both with
 * aria-describedby, and is aria-invalid while the error shows.
 */
export function TextField({
  id,
  label,
  hint,
  error,
  aside,
  className,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={className}>
      <Label id={id} label={label} aside={aside} />
      <input
        id={id}
        name={id}
        className="field-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextAreaField({
  id,
  label,
  hint,
  error,
  aside,
  className,
  ...textarea
}: FieldShell & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className={className}>
      <Label id={id} label={label} aside={aside} />
      <textarea
        id={id}
        name={id}
        className="field-input min-h-28 resize-y"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

function Label({ id, label, aside }: { id: string; label: string; aside?: string }) {
  return (
    <label htmlFor={id} className="field-label">
      {label}
      {aside && <span className="ml-1.5 font-normal text-slate-500">({aside})</span>}
    </label>
  );
}

function HintAndError({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          <span>{error}</span>
        </p>
      )}
    </>
  );
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}
