import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';

export default function NotFound() {
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link href="/" className="btn-primary">
          Browse tickets
        </Link>
      }
    >
      The ticket or order you are looking for does not exist, or is not yours to see.
    </EmptyState>
  );
}
