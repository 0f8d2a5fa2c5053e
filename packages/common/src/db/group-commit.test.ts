import { expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

it('when writes are asked for in one turn, then they go in one statement, in order, each with its own result', async () => {
  const statements: number[][] = [];
  const group = new GroupCommit<number, number>(async (items) => {
    statements.push(items);
    return items.map((n) => n * 10);
  });
  const results = await Promise.all([1, 2, 3].map((n) => group.write(n)));
  expect(results).toEqual([10, 20, 30]);
  expect(statements).toEqual([[1, 2, 3]]);
});

it('when writes come while a statement runs, then they go in the next one, split at the limit', async () => {
  const statements: number[][] = [];
  let release!: () => void;
  const firstRuns = new Promise<void>((resolve) => (release = resolve));
  const group = new GroupCommit<number>(async (items) => {
    statements.push(items);
    if (statements.length === 1) await firstRuns;
    return items.map(() => undefined);
  }, 2);
  const first = group.write(1);
  await new Promise((resolve) => setImmediate(resolve)); // the first statement is running
  const later = [2, 3, 4].map((n) => group.write(n));
  release();
  await Promise.all([first, ...later]);
  expect(statements).toEqual([[1], [2, 3], [4]]);
});

it('when a statement fails, then every write in it is rejected with its error, and later ones still run', async () => {
  let calls = 0;
  const group = new GroupCommit<string, string>(async (items) => {
    calls += 1;
    if (calls === 1) throw new Error('connection lost');
    return items;
  });
  const failed = [group.write('a'), group.write('b')];
  await expect(Promise.all(failed)).rejects.toThrow('connection lost');
  await expect(failed[1]).rejects.toThrow('connection lost');
  await expect(group.write('c')).resolves.toBe('c');
});
