/**
 * Lets the event loop serve what is waiting (requests, timers) before the next slice of work.
 * Two turns of `setImmediate`: called from I/O-callback code, one would run in the same loop
 * iteration's check phase, before any new request is read.
 */
export async function yieldToLoop(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
