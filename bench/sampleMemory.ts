/** Highest values `process.memoryUsage()` reported while sampling, in bytes. */
export interface MemoryPeak {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  samples: number;
}

/**
 * Samples memory on a timer until `stop()`. Samples wait for the event loop, so a peak inside
 * one long synchronous step (parsing a large page, the join) is seen only as it ends.
 */
export function sampleMemory(intervalMs = 20): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, samples: 0 };
  const take = (): void => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
    peak.samples++;
  };
  take();
  // Unref'd: a run that throws before `stop()` must not keep the process alive.
  const timer = setInterval(take, intervalMs).unref();
  return {
    stop() {
      take();
      clearInterval(timer);
      return { ...peak };
    },
  };
}
