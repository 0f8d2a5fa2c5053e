'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import { parsePrice } from '@/lib/price';
import type { SplitErrors, Ticket } from '@/lib/types';
import { lostEditMessage } from '@/lib/lost-edit';
import { FormErrors, Notice } from './alerts';
import { TextAreaField, TextField } from './field';
import { AlertIcon, Spinner } from './icons';

const FIELDS = ['title', 'price', 'description', 'venue', 'startsAt', 'code'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** The date and time inputs' values for an instant, in the browser's time zone. */
function localParts(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/**
 * The date and time typed, read in the browser's time zone and sent as UTC; half a date is
 * sent as it is, for the API's own message.
 */
function startsAtFrom(date: string, time: string): string {
  if (!date || !time) return `${date}${time ? `T${time}` : ''}`;
  const at = new Date(`${date}T${time}`);
  return Number.isNaN(at.getTime()) ? `${date}T${time}` : at.toISOString();
}

/**
 * Lists a new ticket (POST /api/tickets), or, given `ticket`, edits it (PUT /api/tickets/:id).
 * The price goes to the API as the number typed; the API is the judge of what is valid and its
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
  const router = useRouter();
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const editing = ticket !== undefined;
  const formRef = useRef<HTMLFormElement>(null);
  const [zone, setZone] = useState('your time zone');

  // The start is shown and typed in the visitor's time zone, which only the browser knows.
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone');
    const form = formRef.current;
    if (!ticket?.startsAt || !form) return;
    const { date, time } = localParts(ticket.startsAt);
    (form.elements.namedItem('date') as HTMLInputElement).value = date;
    (form.elements.namedItem('time') as HTMLInputElement).value = time;
  }, [ticket?.startsAt]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const priceText = String(form.get('price') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    const code = String(form.get('code') ?? '').trim();
    const price = parsePrice(priceText);
    setSaved(false);
    if (price && !price.ok) {
      setErrors({ byField: { price: price.message }, general: [] });
      return;
    }
    setBusy(true);
    const body = {
      title: String(form.get('title') ?? ''),
      // A blank price is sent as it is, for the API's own message.
      price: price ? price.value : priceText,
      description: description || null,
      venue: String(form.get('venue') ?? ''),
      startsAt: startsAtFrom(String(form.get('date') ?? ''), String(form.get('time') ?? '')),
      code: code || null,
    };
    const result = editing
      ? await callApi<Ticket>('PUT', `/api/tickets/${ticket.id}`, body)
      : await callApi<Ticket>('POST', '/api/tickets', body);
    setBusy(false);
    if (!result.ok) {
      if (result.status === 401) {
        window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      if (editing && result.status === 409) {
        // Someone reserved (or bought) it meanwhile: the form stays, with what was typed, and
        // says that nothing was saved and when it can be tried again.
        setErrors({
          byField: {},
          general: [await lostEditMessage(ticket.id, reservationWindowSeconds)],
        });
        return;
      }
      setErrors(splitErrors(result.errors, FIELDS));
      return;
    }
    setErrors(noErrors);
    if (editing) {
      setSaved(true);
      router.refresh();
    } else {
      router.push(`/tickets/${result.data.id}?listed=1`);
    }
  }

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
        onChange={() => setSaved(false)}
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
        onChange={() => setSaved(false)}
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
        onChange={() => setSaved(false)}
      />
      <fieldset>
        <legend className="field-label">When the event starts</legend>
        <div className="mt-1 flex flex-col gap-3 sm:flex-row">
          <TextField
            id="date"
            label="Date"
            type="date"
            required
            aria-invalid={errors.byField.startsAt ? true : undefined}
            aria-describedby={errors.byField.startsAt ? 'startsAt-error' : 'startsAt-hint'}
            onChange={() => setSaved(false)}
            className="sm:w-48"
          />
          <TextField
            id="time"
            label="Time"
            type="time"
            required
            aria-invalid={errors.byField.startsAt ? true : undefined}
            aria-describedby={errors.byField.startsAt ? 'startsAt-error' : 'startsAt-hint'}
            onChange={() => setSaved(false)}
            className="sm:w-40"
          />
        </div>
        <p id="startsAt-hint" className="field-hint">
          In your time zone ({zone}). The listing leaves the marketplace when the event starts.
        </p>
        {errors.byField.startsAt && (
          <p id="startsAt-error" className="field-error">
            <AlertIcon className="mt-0.5 size-4 shrink-0" />
            <span>{errors.byField.startsAt}</span>
          </p>
        )}
      </fieldset>
      <TextAreaField
        id="description"
        label="Description"
        aside="optional"
        maxLength={5000}
        defaultValue={ticket?.description ?? undefined}
        placeholder="Anything a buyer should know: seats, how you will hand it over…"
        error={errors.byField.description}
        onChange={() => setSaved(false)}
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
        onChange={() => setSaved(false)}
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
