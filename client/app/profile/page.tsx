import type { Metadata } from 'next';
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
    </div>
  );
}
