import { LockIcon, Spinner } from './icons';

/** The payment forms' submit button: "Pay $25.00", or a spinner and "Paying…" while busy. */
export function PayButton({
  busy,
  amount,
  disabled,
}: {
  busy: boolean;
  amount: string;
  disabled?: boolean;
}) {
  return (
    <button type="submit" className="btn-primary w-full text-base" disabled={busy || disabled}>
      {busy ? <Spinner /> : <LockIcon className="size-4" />}
      {busy ? 'Paying…' : `Pay ${amount}`}
    </button>
  );
}
