import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { SignInForm } from '@/components/auth-forms';
import { safeNextPath } from '@/lib/client-api';
import { getCurrentUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: PageProps<'/signin'>) {
  const { next } = await searchParams;
  const destination = safeNextPath(typeof next === 'string' ? next : undefined);
  if (await getCurrentUser()) redirect(destination);
  return (
    <AuthCard title="Welcome back" subtitle="Sign in to buy and sell tickets.">
      <SignInForm next={destination} />
    </AuthCard>
  );
}
