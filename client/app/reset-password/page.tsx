import type { Metadata } from 'next';
import { AuthCard } from '@/components/auth-card';
import { ResetPasswordForm } from '@/components/password-reset-forms';

// The address carries the reset token until the page removes it: no Referer may repeat it.
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

/** Reads no search parameter on the server: the token is handled in the browser only. */
export default function ResetPasswordPage() {
  return (
    <AuthCard title="Choose a new password" subtitle="Then you are signed in with it.">
      <ResetPasswordForm />
    </AuthCard>
  );
}
