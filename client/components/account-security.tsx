'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import type { SplitErrors, User } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { TextField } from './field';
import { Spinner } from './icons';

/**
 * PUT /api/users/currentuser/password: this browser stays signed in (the API hands it a new
 * cookie), every other session of the user ends.
 */
export function ChangePasswordForm() {
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setSaved(false);
    const result = await callApi<User>('PUT', '/api/users/currentuser/password', {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    });
    setBusy(false);
    if (!result.ok) {
      if (result.status === 401) {
        window.location.assign('/signin?next=/profile');
        return;
      }
      setErrors(splitErrors(result.errors, ['currentPassword', 'newPassword']));
      return;
    }
    setErrors(noErrors);
    setSaved(true);
    formElement.reset();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Change password">
      <FormErrors messages={errors.general} />
      {saved && (
        <Notice tone="success" role="status" title="Password changed">
          You stay signed in here; every other device has been signed out.
        </Notice>
      )}
      <TextField
        id="currentPassword"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.byField.currentPassword}
      />
      <TextField
        id="newPassword"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={128}
        hint="At least 8 characters."
        error={errors.byField.newPassword}
      />
      <button type="submit" className="btn-primary sm:min-w-40" disabled={busy}>
        {busy && <Spinner />}
        Change password
      </button>
    </form>
  );
}

/** POST /api/users/signout-all: every session ends, this one too; then the sign-in page. */
export function SignOutEverywhereButton() {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string[]>([]);
  return (
    <div className="space-y-3">
      <FormErrors messages={failed} />
      <button
        type="button"
        className="btn-secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setFailed([]);
          const result = await callApi('POST', '/api/users/signout-all');
          if (result.ok || result.status === 401) {
            window.location.assign('/signin?signedOut=everywhere');
            return;
          }
          setBusy(false);
          setFailed(result.errors.map((e) => e.message));
        }}
      >
        {busy && <Spinner />}
        Sign out everywhere
      </button>
    </div>
  );
}
