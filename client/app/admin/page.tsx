import type { Metadata } from 'next';
import { AdminUserLookup } from '@/components/admin-users';
import { Notice } from '@/components/alerts';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Administration' };

/** Administrators (ADMIN_EMAILS) find a user by email and suspend or restore them. */
export default async function AdminPage() {
  const user = await requireUser('/admin');
  const admin = user.roles?.includes('admin') ?? false;
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="Administration"
        description="Find a user by email to suspend or restore their account."
      />
      {admin ? (
        <AdminUserLookup />
      ) : (
        <Notice tone="warning" role="alert" title="Administrators only">
          Your account is not an administrator&apos;s.
        </Notice>
      )}
    </div>
  );
}
