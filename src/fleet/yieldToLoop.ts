/** Lets the event loop run what is waiting (requests, timers) before the next slice of work. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
