import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Notice } from '@/components/alerts';
import { AuthCard } from '@/components/auth-card';
import { SignInForm } from '@/components/auth-forms';
import { safeNextPath } from '@/lib/client-api';
import { getCurrentUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: PageProps<'/signin'>) {
  const { next, signedOut } = await searchParams;
  const destination = safeNextPath(typeof next === 'string' ? next : undefined);
  if (await getCurrentUser()) redirect(destination);
  return (
    <AuthCard title="Welcome back" subtitle="Sign in to buy and sell tickets.">
      {signedOut === 'everywhere' && (
        <div className="mb-5">
          <Notice tone="success" role="status" title="Signed out everywhere">
            Every device that was signed in to your account has been signed out.
          </Notice>
        </div>
      )}
      <SignInForm next={destination} />
    </AuthCard>
  );
}
