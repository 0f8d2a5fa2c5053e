import { describeRemaining, formatRemaining } from '@/lib/format';
import { ClockIcon } from './icons';

/**
 * The time left to pay, as big digits. The parent owns the clock (one tick for the whole
 * order page), so this stays a plain component. A timer role is not announced on every
 * tick; the text alternative says the same in words for those who move to it.
 */
export function Countdown({ remainingMs }: { remainingMs: number }) {
  const urgent = remainingMs <= 60_000;
  const soon = remainingMs <= 180_000;
  const tone = urgent
    ? 'border-red-200 bg-red-50 text-red-800'
    : soon
      ? 'border-amber-200 bg-amber-50 text-amber-900'
      : 'border-brand-200 bg-brand-50 text-brand-900';
  return (
    <div className={`flex items-center gap-4 rounded-2xl border p-4 sm:p-5 ${tone}`}>
      <ClockIcon className="size-8 shrink-0 sm:size-10" />
      <div className="min-w-0">
        <p className="text-sm font-medium">Reserved for you — time left to pay</p>
        <p
          role="timer"
          aria-label={`Time left to pay: ${describeRemaining(remainingMs)}`}
          className="font-mono text-4xl font-bold tabular-nums sm:text-5xl"
          data-testid="countdown"
        >
          {formatRemaining(remainingMs)}
        </p>
      </div>
    </div>
  );
}
