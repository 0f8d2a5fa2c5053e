import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { SignUpForm } from '@/components/auth-forms';
import { safeNextPath } from '@/lib/client-api';
import { getCurrentUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignUpPage({ searchParams }: PageProps<'/signup'>) {
  const { next } = await searchParams;
  const destination = safeNextPath(typeof next === 'string' ? next : undefined);
  if (await getCurrentUser()) redirect(destination);
  return (
    <AuthCard
      title="Create your account"
      subtitle="List tickets you can’t use, buy the ones you want."
    >
      <SignUpForm next={destination} />
    </AuthCard>
  );
}
