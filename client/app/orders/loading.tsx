import { ListSkeleton } from '@/components/list-skeleton';

/** Shown while a buyer's orders (or one order) load. */
export default function Loading() {
  return <ListSkeleton label="Loading your orders" />;
}
