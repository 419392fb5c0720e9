/**
 * One middleware step: does its part of the turn, then calls `next` to hand the turn on, or
 * returns without calling it to end the turn there (a refusal, an unknown command). Bolt's
 * listener middleware and teams.ts `app.use()` work the same way.
 */
export type Step<T> = (turn: T, next: () => Promise<void>) => Promise<void>;

/**
 * Runs `steps` in order on one turn (Bolt's `processMiddleware`). An error thrown by a step
 * propagates out through the steps before it, so an outer step can catch it (the error sink).
 */
export async function runChain<T>(steps: readonly Step<T>[], turn: T): Promise<void> {
  const runFrom = async (index: number): Promise<void> => {
    const step = steps[index];
    if (!step) return;
    let called = false;
    await step(turn, async () => {
      // A step that called `next` twice would run the rest of the turn (the command) twice.
      if (called) throw new Error(`step ${index} called next() twice`);
      called = true;
      await runFrom(index + 1);
    });
  };
  await runFrom(0);
}
