/**
 * What one order's turn did: its answer (a value, or the error to answer with) and the view that
 * holds after it — the same view when it wrote nothing, the new one after a write, or `undefined`
 * when it cannot know (the next turn then reads again).
 */
export interface TurnOutcome<V, R> {
  answer: { value: R } | { error: unknown };
  view: V | undefined;
}

/** One order's decision on the latest view of its key (ticket); a throw counts as its error. */
export type Turn<V, R> = (view: V) => Promise<TurnOutcome<V, R>>;

interface Waiting<V, R> {
  turn: Turn<V, R>;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Decides the orders for one key (a ticket) that reach this process together in rounds, on one
 * read, instead of one read each — the flash sale's hot ticket.
 *
 * Shape: `run(key, turn)` queues `turn`; when this process has no round running for `key`, a
 * round starts with every order queued for it: one `read(key)`, then each order's turn in
 * arrival order, each given the view the previous turn left (a winner's new hold tells the rest
 * "reserved" without another statement). Orders arriving meanwhile wait for the next round, whose
 * read starts after they arrived — so each answer reflects the database at some moment between
 * the request and its response (linearizable). A key with nothing queued costs nothing.
 *
 * This only saves statements: other processes (replicas) race as before, and the unique index on
 * holding orders still decides between them. A failed read fails that round's orders; the next
 * round reads again.
 */
export class ReservationRounds<V, R> {
  private readonly queued = new Map<string, Waiting<V, R>[]>();

  constructor(private readonly read: (key: string) => Promise<V>) {}

  /** Resolves with the turn's value or rejects with its error, once the turn has run. */
  run(key: string, turn: Turn<V, R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queued.get(key);
      if (queue) {
        queue.push({ turn, resolve, reject });
        return;
      }
      this.queued.set(key, [{ turn, resolve, reject }]);
      void this.rounds(key);
    });
  }

  /** Runs rounds for `key` while orders are queued for it; the key's entry goes with the last. */
  private async rounds(key: string): Promise<void> {
    for (;;) {
      const round = this.queued.get(key)!;
      if (round.length === 0) {
        this.queued.delete(key);
        return;
      }
      // Newcomers queue for the next round from here on.
      this.queued.set(key, []);
      let view: V | undefined;
      for (const [index, waiting] of round.entries()) {
        if (view === undefined) {
          try {
            view = await this.read(key);
          } catch (error) {
            for (const failed of round.slice(index)) failed.reject(error);
            break;
          }
        }
        const outcome = await waiting
          .turn(view)
          .catch((error: unknown): TurnOutcome<V, R> => ({ answer: { error }, view: undefined }));
        view = outcome.view;
        if ('value' in outcome.answer) waiting.resolve(outcome.answer.value);
        else waiting.reject(outcome.answer.error);
      }
    }
  }
}
