'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import { localDateAndTime, startsAtFrom } from '@/lib/event-start';
import { lostEditMessage } from '@/lib/lost-edit';
import { parsePrice } from '@/lib/price';
import type { SplitErrors, Ticket } from '@/lib/types';

const FIELDS = ['title', 'price', 'description', 'venue', 'startsAt', 'code'] as const;

/**
 * Sending the ticket form: POST /api/tickets for a new ticket, PUT /api/tickets/:id given
 * `ticket`. The price goes to the API as the number typed; the API is the judge of what is
 * valid, and its messages come back in `errors` by field. A new listing opens its page; a saved
 * edit says so (`saved`) until the form is changed again (`edited`).
 */
export function useTicketForm(ticket: Ticket | undefined, reservationWindowSeconds?: number) {
  const router = useRouter();
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  /** The visitor's time zone, which only the browser knows. */
  const [zone, setZone] = useState('your time zone');

  // The start is shown and typed in the visitor's time zone.
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone');
    const form = formRef.current;
    if (!ticket?.startsAt || !form) return;
    const { date, time } = localDateAndTime(ticket.startsAt);
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
    const result = ticket
      ? await callApi<Ticket>('PUT', `/api/tickets/${ticket.id}`, body)
      : await callApi<Ticket>('POST', '/api/tickets', body);
    setBusy(false);
    if (!result.ok) {
      if (result.status === 401) {
        window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname)}`);
        return;
      }
      if (ticket && result.status === 409) {
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
    if (ticket) {
      setSaved(true);
      router.refresh();
    } else {
      router.push(`/tickets/${result.data.id}?listed=1`);
    }
  }

  return { formRef, onSubmit, errors, busy, saved, edited: () => setSaved(false), zone };
}
