import { OutOfOrderError } from './listener.js';

/**
 * Applies version N of an entity to a replica only over version N-1 — the rule every
 * version-gated replica follows (orders' tickets, payments' orders): events of one entity may
 * arrive out of order or twice, and the version decides.
 *
 * - `update()` writes the change where the replica holds `version - 1` and says whether it did:
 *   then `'applied'`.
 * - Otherwise `find()` reads what the replica holds: the same version or a later one means the
 *   change is stale (a redelivery, or overtaken) — `'stale'`, nothing to do.
 * - A gap (the replica holds an older version, or nothing yet) means the change came too early:
 *   OutOfOrderError, which leaves the event unacknowledged so the bus brings it back after its
 *   predecessor.
 *
 * `what` names the entity in the error (`ticket`, `order`).
 */
export async function applyInVersionOrder(change: {
  what: string;
  id: string;
  version: number;
  update: () => Promise<boolean>;
  find: () => Promise<{ version: number } | undefined>;
}): Promise<'applied' | 'stale'> {
  if (await change.update()) return 'applied';
  const held = await change.find();
  if (held && held.version >= change.version) return 'stale';
  throw new OutOfOrderError(
    `${change.what} ${change.id} version ${change.version} arrived before version ` +
      `${change.version - 1} (replica holds ${held ? `version ${held.version}` : 'nothing'})`,
  );
}
