'use client';

import Link from '@/components/link';
import { useEffect, useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import type { SplitErrors, User } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { TextField } from './field';
import { Spinner } from './icons';

/** POST /api/users/password-reset: the same answer whether or not the email has an account. */
export function ForgotPasswordForm() {
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    setBusy(true);
    const result = await callApi('POST', '/api/users/password-reset', { email });
    setBusy(false);
    if (!result.ok) {
      setErrors(splitErrors(result.errors, ['email']));
      return;
    }
    setErrors(noErrors);
    setSentTo(email);
  }

  if (sentTo) {
    return (
      <div className="space-y-5">
        <Notice tone="success" role="status" title="Check your email">
          If <strong>{sentTo}</strong> has an account, a link to choose a new password is on its
          way. It works once, for 30 minutes.
        </Notice>
        <p className="text-center text-sm text-slate-600">
          <Link href="/signin" className="link">
            Back to sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormErrors messages={errors.general} />
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        error={errors.byField.email}
      />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy && <Spinner />}
        Send reset link
      </button>
      <p className="text-center text-sm text-slate-600">
        Remembered it?{' '}
        <Link href="/signin" className="link">
          Sign in
        </Link>
      </p>
    </form>
  );
}

/**
 * The page the mailed link opens. The token is read from the address once and taken out of it
 * at once (history.replaceState), so it stays out of the history, bookmarks and screen shares;
 * the page sends no Referer anywhere (Referrer-Policy: no-referrer, next.config.mjs).
 */
export function ResetPasswordForm() {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const url = new URL(window.location.href);
    const found = url.searchParams.get('token');
    if (found) {
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.pathname + url.search);
    }
    setToken(found);
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    setBusy(true);
    const result = await callApi<User>('POST', '/api/users/password-reset/confirm', {
      token: token ?? '',
      password,
    });
    if (result.ok) {
      // Signed in with a new cookie: a full load renders every part with it.
      window.location.assign('/?passwordReset=1');
      return;
    }
    setBusy(false);
    setErrors(splitErrors(result.errors, ['password', 'token']));
  }

  if (token === undefined) return <p className="text-center text-slate-600">Loading…</p>;
  if (token === null || errors.byField.token) {
    return (
      <div className="space-y-5">
        <Notice
          tone="error"
          role="alert"
          title={
            token === null
              ? 'This reset link is incomplete'
              : 'This reset link is invalid, used or expired'
          }
        >
          Reset links work once, for 30 minutes. Ask for a new one and open the link in the newest
          email.
        </Notice>
        <Link href="/forgot-password" className="btn-primary w-full">
          Ask for a new link
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormErrors messages={errors.general} />
      <TextField
        id="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={128}
        hint="At least 8 characters. Every device signed in to your account will be signed out."
        error={errors.byField.password}
      />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy && <Spinner />}
        Set new password
      </button>
    </form>
  );
}
