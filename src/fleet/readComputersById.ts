import pLimit from 'p-limit';
import type { JamfComputer } from '../compliance/types';
import { DEFAULT_COMPUTER_SECTIONS } from '../upstream/jamf/jamfClient';
import { computerIdIn } from '../upstream/jamf/rsql';
import { readThrottled } from './readThrottled';
import type { SyncRunContext } from './syncRunContext';

/** Ids per filtered listing: `id=in=(…)` travels in the URL. */
export const IDS_PER_REQUEST = 100;

/**
 * The named Macs, read from Jamf in filtered listings of up to 100 ids, as many at once as the
 * sync's Jamf concurrency allows (a 5,000-Mac webhook burst is 50 listings); a missing id is a
 * deleted Mac. Listings come back in the order of `ids`.
 */
export async function readComputersById(
  ctx: SyncRunContext,
  ids: readonly string[],
): Promise<JamfComputer[]> {
  const unique = [...new Set(ids)];
  const slots = pLimit(Math.max(1, ctx.settings.jamfConcurrency));
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_REQUEST) batches.push(unique.slice(i, i + IDS_PER_REQUEST));
  const pages = await Promise.all(
    batches.map((batch) =>
      slots(() =>
        readThrottled(
          'computers by id',
          () =>
            ctx.jamf.getComputersPage({
              page: 0,
              pageSize: IDS_PER_REQUEST,
              sections: DEFAULT_COMPUTER_SECTIONS,
              filter: computerIdIn(batch),
              signal: ctx.signal,
            }),
          ctx.throttle,
        ),
      ),
    ),
  );
  return pages.flatMap((p) => p.computers);
}
