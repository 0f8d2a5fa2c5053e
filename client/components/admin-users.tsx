'use client';

import { useState, type FormEvent } from 'react';
import { callApi } from '@/lib/client-api';
import { noErrors, splitErrors } from '@/lib/errors';
import type { AdminUser, SplitErrors } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { AccountStateBadge } from './badges';
import { TextAreaField, TextField } from './field';
import { Spinner } from './icons';
import { LocalDate } from './local-date';

/**
 * GET /api/users?email= finds the user; POST or DELETE /api/users/:id/suspension suspends them
 * with a reason (every session ends, listings withdrawn, unpaid orders cancelled) or restores
 * sign-in.
 */
export function AdminUserLookup() {
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [searched, setSearched] = useState<string | null>(null);
  const [found, setFound] = useState<AdminUser | null>(null);

  async function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    setBusy(true);
    const result = await callApi<AdminUser[]>(
      'GET',
      `/api/users?email=${encodeURIComponent(email)}`,
    );
    setBusy(false);
    if (!result.ok) {
      setErrors(splitErrors(result.errors, ['email']));
      setFound(null);
      setSearched(null);
      return;
    }
    setErrors(noErrors);
    setSearched(email);
    setFound(result.data[0] ?? null);
  }

  return (
    <div className="space-y-6">
      <form
        onSubmit={onSearch}
        noValidate
        role="search"
        className="card space-y-5 p-5 sm:p-8"
        aria-label="Find a user"
      >
        <FormErrors messages={errors.general} />
        <TextField
          id="email"
          label="Email"
          type="email"
          required
          maxLength={254}
          error={errors.byField.email}
        />
        <button type="submit" className="btn-primary sm:min-w-40" disabled={busy}>
          {busy && <Spinner />}
          Find user
        </button>
      </form>
      {searched !== null &&
        (found ? (
          <UserCard key={found.id} user={found} onChange={setFound} />
        ) : (
          <Notice tone="info" role="status" title="No user found">
            No account has the email {searched}.
          </Notice>
        ))}
    </div>
  );
}

function UserCard({ user, onChange }: { user: AdminUser; onChange: (u: AdminUser) => void }) {
  const [errors, setErrors] = useState<SplitErrors>(noErrors);
  const [busy, setBusy] = useState(false);

  async function act(method: 'POST' | 'DELETE', body?: unknown) {
    setBusy(true);
    const result = await callApi<AdminUser>(method, `/api/users/${user.id}/suspension`, body);
    setBusy(false);
    if (!result.ok) {
      setErrors(splitErrors(result.errors, ['reason']));
      return;
    }
    setErrors(noErrors);
    onChange(result.data);
  }

  return (
    <section className="card space-y-5 p-5 sm:p-8" aria-labelledby="found-user">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="found-user" className="text-lg font-semibold text-slate-900">
            {user.name}
          </h2>
          <p className="break-all text-slate-600">{user.email}</p>
          {user.roles?.includes('admin') && <p className="text-sm text-slate-500">Administrator</p>}
        </div>
        <AccountStateBadge suspended={user.suspended} />
      </div>
      <FormErrors messages={errors.general} />
      {user.suspension ? (
        <>
          <Notice tone="warning" role="status" title="Suspended">
            <p>Reason: {user.suspension.reason}</p>
            <p>
              Since <LocalDate iso={user.suspension.since} />
            </p>
          </Notice>
          <button
            type="button"
            className="btn-primary"
            disabled={busy}
            onClick={() => act('DELETE')}
          >
            {busy && <Spinner />}
            Restore account
          </button>
        </>
      ) : (
        <form
          noValidate
          className="space-y-5"
          onSubmit={(event) => {
            event.preventDefault();
            const reason = String(new FormData(event.currentTarget).get('reason') ?? '');
            void act('POST', { reason });
          }}
        >
          <TextAreaField
            id="reason"
            label="Reason for suspension"
            required
            maxLength={500}
            hint="Shown to the user. Suspending signs them out everywhere, withdraws their listings on sale and cancels their unpaid orders."
            error={errors.byField.reason}
          />
          <button type="submit" className="btn-danger" disabled={busy}>
            {busy && <Spinner />}
            Suspend account
          </button>
        </form>
      )}
    </section>
  );
}
