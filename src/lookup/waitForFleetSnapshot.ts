import type { FleetSnapshotSource } from '../compliance/fleetSnapshotTypes';
import { UpstreamError } from '../errors';
import { describeDuration } from '../compliance/describeDuration';
import type { ReadyFleet } from './diagnoseFleetSnapshot';

/**
 * The fleet snapshot, waiting for the first build when there is none yet: for work nobody is
 * watching (the daily rollout snapshot, a scheduled campaign), which is better late than
 * skipped. Bounded: after `timeoutMs` it fails with a coded error the caller logs.
 */
export async function waitForFleetSnapshot(
  source: FleetSnapshotSource,
  opts: { timeoutMs: number; pollMs?: number },
): Promise<ReadyFleet> {
  const until = Date.now() + opts.timeoutMs;
  for (;;) {
    const read = await source.read();
    if (read.state === 'ready') return read;
    if (Date.now() >= until)
      throw new UpstreamError(
        'store',
        'timeout',
        `the fleet snapshot was still being built after ${describeDuration(opts.timeoutMs)} (${read.progress.phase}, ${read.progress.macsRead} Macs read)`,
      );
    await new Promise<void>((resolve) => setTimeout(resolve, opts.pollMs ?? 5_000).unref());
  }
}
