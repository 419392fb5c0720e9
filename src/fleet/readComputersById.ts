import type { JamfComputer } from '../compliance/types';
import { DEFAULT_COMPUTER_SECTIONS } from '../upstream/jamf/jamfClient';
import { computerIdIn } from '../upstream/jamf/rsql';
import { readThrottled } from './readThrottled';
import type { SyncRunContext } from './syncRunContext';

/** Ids per filtered listing: `id=in=(…)` travels in the URL. */
export const IDS_PER_REQUEST = 100;

/** The named Macs, read from Jamf in filtered listings of up to 100 ids; a missing id is a deleted Mac. */
export async function readComputersById(
  ctx: SyncRunContext,
  ids: readonly string[],
): Promise<JamfComputer[]> {
  const unique = [...new Set(ids)];
  const found: JamfComputer[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_REQUEST) {
    const batch = unique.slice(i, i + IDS_PER_REQUEST);
    const page = await readThrottled(
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
    );
    found.push(...page.computers);
  }
  return found;
}
