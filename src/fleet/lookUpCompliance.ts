import pLimit from 'p-limit';
import type { JamfComplianceInfo } from '../compliance/types';
import { readThrottled } from './readThrottled';
import type { SyncRunContext } from './syncRunContext';

/** Look-ups saved together: a crash loses at most this many. */
const CHUNK = 50;
/** In flight at once: Jamf asks for at most 5 connections. */
const CONCURRENCY = 5;

/**
 * Jamf's compliance info for each id, handed to `onChunk` every 50 look-ups: what it found, and
 * the ids Jamf has none for (to be remembered too, so a resumed build does not ask again).
 */
export async function lookUpCompliance(
  ctx: SyncRunContext,
  ids: readonly string[],
  onChunk: (found: JamfComplianceInfo[], none: string[]) => Promise<void>,
): Promise<void> {
  const slots = pLimit(CONCURRENCY);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const infos = await Promise.all(
      chunk.map((id) =>
        slots(() => readThrottled('compliance info', () => ctx.jamf.getComplianceInfo(id), ctx.throttle)),
      ),
    );
    await onChunk(
      infos.filter((x): x is JamfComplianceInfo => x !== null),
      chunk.filter((_, j) => infos[j] === null),
    );
  }
}
