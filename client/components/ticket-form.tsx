'use client';

import type { Ticket } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { EventStartFields } from './event-start-fields';
import { TextAreaField, TextField } from './field';
import { Spinner } from './icons';
import { useTicketForm } from './use-ticket-form';

/**
 * Lists a new ticket, or, given `ticket`, edits it (use-ticket-form.ts sends it). The API's
 * messages show next to the field they concern.
 */
export function TicketForm({
  ticket,
  reservationWindowSeconds,
}: {
  ticket?: Ticket;
  /** The longest a reservation lasts, to say when a lost edit can be made again. */
  reservationWindowSeconds?: number;
}) {
  const { formRef, onSubmit, errors, busy, saved, edited, zone } = useTicketForm(
    ticket,
    reservationWindowSeconds,
  );
  const editing = ticket !== undefined;

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormErrors messages={errors.general} />
      {saved && <Notice tone="success" role="status" title="Changes saved" />}
      <TextField
        id="title"
        label="Title"
        required
        maxLength={200}
        defaultValue={ticket?.title}
        placeholder="e.g. Concert — two seats, row F"
        hint={editing ? undefined : 'What buyers search for: the event, the date, the seats.'}
        error={errors.byField.title}
        onChange={edited}
      />
      <TextField
        id="price"
        label="Price (USD)"
        type="text"
        inputMode="decimal"
        required
        defaultValue={ticket ? ticket.price.toFixed(2) : undefined}
        placeholder="25.00"
        hint="From 0.50 to 999,999.99, with at most 2 decimals."
        error={errors.byField.price}
        onChange={edited}
        className="max-w-xs"
      />
      <TextField
        id="venue"
        label="Venue"
        required
        maxLength={200}
        defaultValue={ticket?.venue ?? undefined}
        placeholder="e.g. Royal Albert Hall, London"
        error={errors.byField.venue}
        onChange={edited}
      />
      <EventStartFields zone={zone} error={errors.byField.startsAt} onChange={edited} />
      <TextAreaField
        id="description"
        label="Description"
        aside="optional"
        maxLength={5000}
        defaultValue={ticket?.description ?? undefined}
        placeholder="Anything a buyer should know: seats, how you will hand it over…"
        error={errors.byField.description}
        onChange={edited}
      />
      <TextField
        id="code"
        label="Ticket code"
        aside="optional"
        maxLength={200}
        autoComplete="off"
        defaultValue={ticket?.code ?? undefined}
        placeholder="Barcode or transfer reference"
        hint="Only you can see it now. The buyer sees it once they have paid; nobody else ever does."
        error={errors.byField.code}
        onChange={edited}
      />
      <div className="flex flex-col gap-3 sm:flex-row">
        <button type="submit" className="btn-primary sm:min-w-40" disabled={busy}>
          {busy && <Spinner />}
          {editing ? 'Save changes' : 'List ticket'}
        </button>
      </div>
    </form>
  );
}
