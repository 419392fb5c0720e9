/**
 * Sleeps that a simulator's `close()` can cancel all at once (a cancelled sleep never resolves:
 * whatever waited on it is being shut down), so no timer keeps the process alive after a close.
 */
export function cancellableSleeps(): { sleep(ms: number): Promise<void>; cancelAll(): void } {
  const timers = new Set<NodeJS.Timeout>();
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, ms);
        timers.add(t);
      }),
    cancelAll: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
