/**
 * Group commit: writes asked for in the same turn of the event loop, or while the previous
 * statement runs, go to the database together, in one statement of at most `maxPerStatement`
 * items, in the order they were asked for. Each `write` resolves with its own item's result once
 * that statement has committed (never before: a caller may treat it as durable), or rejects with
 * the statement's error, which fails every item of that statement.
 *
 * Why: under a burst, many callers each write one small row (a bus message, an ack, a scheduled
 * job); a statement each is a transaction each. Waiting one turn of the event loop for company
 * costs microseconds and turns N transactions into one.
 *
 *   const inserts = new GroupCommit<Row, boolean>((rows) => insertAll(db, rows));
 *   const inserted = await inserts.write(row);
 */
export class GroupCommit<T, R = void> {
  private waiting: { item: T; done: (result: R) => void; fail: (error: unknown) => void }[] = [];
  private flushing = false;

  /**
   * @param writeAll writes the items in one statement and returns one result per item, in the
   *   items' order.
   */
  constructor(
    private readonly writeAll: (items: T[]) => Promise<R[]>,
    private readonly maxPerStatement = 500,
  ) {}

  write(item: T): Promise<R> {
    return new Promise<R>((done, fail) => {
      this.waiting.push({ item, done, fail });
      if (this.flushing) return;
      this.flushing = true;
      // After the current turn: whatever else is written in it joins this statement.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxPerStatement);
      try {
        const results = await this.writeAll(batch.map((b) => b.item));
        batch.forEach((b, i) => b.done(results[i]!));
      } catch (error) {
        for (const b of batch) b.fail(error);
      }
    }
    this.flushing = false;
  }
}
