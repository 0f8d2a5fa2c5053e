'use client';

import { useState } from 'react';
import { callApi } from '@/lib/client-api';
import { Spinner } from './icons';

/**
 * Signs out through the API (which clears the httpOnly cookie), then loads the home page
 * afresh: a full load drops every page the router cached while signed in.
 */
export function SignOutButton({ className }: { className?: string }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <button
      type="button"
      className={className}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        setFailed(false);
        const result = await callApi('POST', '/api/users/signout');
        if (result.ok) {
          window.location.assign('/');
        } else {
          setBusy(false);
          setFailed(true);
        }
      }}
    >
      {busy && <Spinner />}
      {failed ? 'Sign out failed — retry' : 'Sign out'}
    </button>
  );
}
