/**
 * Like `Promise.all`, but the first failure aborts `abort` (so the other branches stop issuing
 * requests) and is thrown only once every branch has stopped: nothing keeps calling a service
 * after the caller has been told the load failed. Later failures (often just the cancellation)
 * are dropped in favour of the first, which names the service that really failed.
 */
export async function allOrFirstError<T extends unknown[]>(
  abort: AbortController,
  promises: [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const failure: { error?: unknown; failed: boolean } = { failed: false };
  const watched = promises.map((p: Promise<unknown>) =>
    p.catch((e: unknown) => {
      if (!failure.failed) Object.assign(failure, { failed: true, error: e });
      abort.abort();
      throw e;
    }),
  );
  const results = await Promise.allSettled(watched);
  if (failure.failed) throw failure.error;
  return results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)) as T;
}
