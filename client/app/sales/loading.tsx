import { ListSkeleton } from '@/components/list-skeleton';

/** Shown while a seller's sales load. */
export default function Loading() {
  return <ListSkeleton label="Loading your sales" />;
}
