'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import type { SplitErrors, User } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { TextField } from './field';
import { Spinner } from './icons';

/** Name and phone (PATCH /api/users/currentuser); a blank phone removes it. */
export function ProfileForm({ user }: { user: User }) {
  const router = useRouter();
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const phone = String(form.get('phone') ?? '').trim();
    setBusy(true);
    setSaved(false);
    const result = await callApi<User>('PATCH', '/api/users/currentuser', {
      name: String(form.get('name') ?? ''),
      phone: phone || null,
    });
    setBusy(false);
    if (!result.ok) {
      if (result.status === 401) {
        window.location.assign('/signin?next=/profile');
        return;
      }
      setErrors(splitErrors(result.errors, ['name', 'phone']));
      return;
    }
    setErrors(noErrors);
    setSaved(true);
    // The header shows the name: render it again.
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormErrors messages={errors.general} />
      {saved && <Notice tone="success" role="status" title="Profile saved" />}
      <div>
        <p className="field-label">Email</p>
        <p className="mt-1.5 text-slate-700">{user.email}</p>
        <p className="field-hint">Your email is how you sign in; it cannot be changed here.</p>
      </div>
      <TextField
        id="name"
        label="Name"
        autoComplete="name"
        required
        maxLength={100}
        defaultValue={user.name}
        error={errors.byField.name}
        onChange={() => setSaved(false)}
      />
      <TextField
        id="phone"
        label="Phone"
        aside="optional"
        type="tel"
        autoComplete="tel"
        placeholder="+44 20 7946 0958"
        defaultValue={user.phone ?? ''}
        hint="An international number such as +44 20 7946 0958: a + and the country code first. Leave blank to remove it."
        error={errors.byField.phone}
        onChange={() => setSaved(false)}
      />
      <button type="submit" className="btn-primary sm:min-w-40" disabled={busy}>
        {busy && <Spinner />}
        Save profile
      </button>
    </form>
  );
}
