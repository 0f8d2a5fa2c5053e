import type { Metadata } from 'next';
import { ChangePasswordForm, SignOutEverywhereButton } from '@/components/account-security';
import Link from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { ProfileForm } from '@/components/profile-form';
import { requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await requireUser('/profile');
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Profile" description="Your name is shown to buyers on your listings." />
      <div className="card p-5 sm:p-8">
        <ProfileForm user={user} />
      </div>
      <section aria-labelledby="password-heading" className="card mt-6 p-5 sm:p-8">
        <h2 id="password-heading" className="mb-4 text-lg font-semibold text-slate-900">
          Password
        </h2>
        <ChangePasswordForm />
      </section>
      <section aria-labelledby="sessions-heading" className="card mt-6 p-5 sm:p-8">
        <h2 id="sessions-heading" className="text-lg font-semibold text-slate-900">
          Signed-in devices
        </h2>
        <p className="mt-1 mb-4 text-slate-600">
          Lost a phone or signed in on a shared computer? End every session, this one included.
        </p>
        <SignOutEverywhereButton />
      </section>
      {user.roles?.includes('admin') && (
        <section aria-labelledby="admin-heading" className="card mt-6 p-5 sm:p-8">
          <h2 id="admin-heading" className="text-lg font-semibold text-slate-900">
            Administration
          </h2>
          <p className="mt-1 mb-4 text-slate-600">Find a user and suspend or restore them.</p>
          <Link href="/admin" className="btn-secondary">
            Open administration
          </Link>
        </section>
      )}
    </div>
  );
}
