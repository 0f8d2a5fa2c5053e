'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { splitErrors } from '@/lib/errors';
import type { Ticket } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { TextAreaField, TextField } from './field';
import { Spinner } from './icons';

type Errors = { byField: Record<string, string>; general: string[] };
const FIELDS = ['title', 'price', 'description'] as const;

/**
 * Lists a new ticket (POST /api/tickets), or, given `ticket`, edits it (PUT /api/tickets/:id).
 * The price goes to the API as the number typed; the API is the judge of what is valid and its
 * messages show next to the field they concern.
 */
export function TicketForm({ ticket }: { ticket?: Ticket }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({ byField: {}, general: [] });
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const editing = ticket !== undefined;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const priceText = String(form.get('price') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    setBusy(true);
    setSaved(false);
    const body = {
      title: String(form.get('title') ?? ''),
      // A blank or non-numeric price is sent as it is, for the API's own message.
      price: priceText !== '' && Number.isFinite(Number(priceText)) ? Number(priceText) : priceText,
      description: description || null,
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
      setErrors(splitErrors(result.errors, FIELDS));
      // 409: someone reserved it meanwhile; the page re-renders to say so.
      if (result.status === 409) router.refresh();
      return;
    }
    setErrors({ byField: {}, general: [] });
    if (editing) {
      setSaved(true);
      router.refresh();
    } else {
      router.push(`/tickets/${result.data.id}?listed=1`);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
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
        hint="Up to 1,000,000, with at most 2 decimals."
        error={errors.byField.price}
        onChange={() => setSaved(false)}
        className="max-w-xs"
      />
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
      <div className="flex flex-col gap-3 sm:flex-row">
        <button type="submit" className="btn-primary sm:min-w-40" disabled={busy}>
          {busy && <Spinner />}
          {editing ? 'Save changes' : 'List ticket'}
        </button>
      </div>
    </form>
  );
}
