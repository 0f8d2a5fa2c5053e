import { TextField } from './field';
import { AlertIcon } from './icons';

/**
 * The ticket form's "When the event starts": a date and a time in the visitor's `zone`, with
 * one hint and one error (the API's `startsAt`) for both.
 */
export function EventStartFields({
  zone,
  error,
  onChange,
}: {
  zone: string;
  error?: string;
  onChange: () => void;
}) {
  const described = {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? 'startsAt-error' : 'startsAt-hint',
  } as const;
  return (
    <fieldset>
      <legend className="field-label">When the event starts</legend>
      <div className="mt-1 flex flex-col gap-3 sm:flex-row">
        <TextField
          id="date"
          label="Date"
          type="date"
          required
          {...described}
          onChange={onChange}
          className="sm:w-48"
        />
        <TextField
          id="time"
          label="Time"
          type="time"
          required
          {...described}
          onChange={onChange}
          className="sm:w-40"
        />
      </div>
      <p id="startsAt-hint" className="field-hint">
        In your time zone ({zone}). The listing leaves the marketplace when the event starts.
      </p>
      {error && (
        <p id="startsAt-error" className="field-error">
          <AlertIcon className="mt-0.5 size-4 shrink-0" />
          <span>{error}</span>
        </p>
      )}
    </fieldset>
  );
}
