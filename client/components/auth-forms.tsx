'use client';

import Link from '@/components/link';
import { useState, type FormEvent } from 'react';
import { callApi, safeNextPath } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import type { SplitErrors, User } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { TextField } from './field';
import { Spinner } from './icons';

/**
 * After signing in or up, a full page load of the destination: the session cookie is new, and
 * every server-rendered part (the header first) must be rendered again with it.
 */
function goTo(next: string) {
  window.location.assign(safeNextPath(next));
}

export function SignInForm({ next }: { next: string }) {
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [suspended, setSuspended] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const result = await callApi<User>('POST', '/api/users/signin', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    if (result.ok) return goTo(next);
    setBusy(false);
    setSuspended(result.status === 403);
    setErrors(result.status === 403 ? noErrors : splitErrors(result.errors, ['email', 'password']));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {suspended && (
        <Notice tone="error" role="alert" title="Account suspended">
          An administrator has suspended this account, so it cannot be used to sign in.
        </Notice>
      )}
      <FormErrors messages={errors.general} />
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        error={errors.byField.email}
      />
      <TextField
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.byField.password}
      />
      <p className="-mt-2 text-right text-sm">
        <Link href="/forgot-password" className="link">
          Forgot password?
        </Link>
      </p>
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy && <Spinner />}
        Sign in
      </button>
      <p className="text-center text-sm text-slate-600">
        New here?{' '}
        <Link href={`/signup${withNext(next)}`} className="link">
          Create an account
        </Link>
      </p>
    </form>
  );
}

export function SignUpForm({ next }: { next: string }) {
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const phone = String(form.get('phone') ?? '').trim();
    setBusy(true);
    const result = await callApi<User>('POST', '/api/users/signup', {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      ...(phone ? { phone } : {}),
    });
    if (result.ok) return goTo(next);
    setBusy(false);
    setErrors(splitErrors(result.errors, ['name', 'email', 'password', 'phone']));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      <FormErrors messages={errors.general} />
      <TextField
        id="name"
        label="Name"
        autoComplete="name"
        required
        maxLength={100}
        hint="Buyers see this name on your listings."
        error={errors.byField.name}
      />
      <TextField
        id="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        error={errors.byField.email}
      />
      <TextField
        id="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        maxLength={128}
        hint="At least 8 characters."
        error={errors.byField.password}
      />
      <TextField
        id="phone"
        label="Phone"
        aside="optional"
        type="tel"
        autoComplete="tel"
        placeholder="+44 20 7946 0958"
        hint="An international number such as +44 20 7946 0958: a + and the country code first."
        error={errors.byField.phone}
      />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy && <Spinner />}
        Create account
      </button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{' '}
        <Link href={`/signin${withNext(next)}`} className="link">
          Sign in
        </Link>
      </p>
    </form>
  );
}

const withNext = (next: string) =>
  next && next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
