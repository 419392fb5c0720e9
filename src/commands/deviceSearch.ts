import type { AdaptiveCard } from '../cards/renderCard';
import { classifyDeviceQuery, MAX_DEVICE_QUERY } from '../compliance/classifyDeviceQuery';
import { diagnoseMac } from '../compliance/diagnoseMac';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { MacRecord } from '../compliance/types';
import type { LookupQuery } from '../lookup/lookupMacs';
import { cardView, deviceCard, throwWhenNothingToShow, type DeviceAnswerDeps } from './deviceAnswer';
import { deviceLinkQuery } from './deviceLinkQuery';

/** One Mac found from the compose box: its preview in the result list and the card it inserts. */
export interface DeviceSearchItem {
  computerId: string;
  title: string;
  subtitle: string;
  text: string;
  card: AdaptiveCard;
}

/** What a compose-box search answers: Macs to pick from, or a line saying why there are none. */
export type DeviceSearchAnswer = { items: DeviceSearchItem[] } | { message: string };

/** Most Macs a compose-box search lists. */
const SEARCH_MAX = 10;

/** Fewest characters searched for: Teams sends a query at every pause in typing. */
export const SEARCH_MIN_CHARS = 2;

/**
 * The Macs a compose-box search names (serial, name, Entra device id or e-mail), each with the
 * card it inserts: the shared device card (read-only, refreshed into the full view for admins).
 * When both services fail the first failure is thrown; one failing just leaves its facts out.
 */
export async function searchDevices(
  text: string,
  deps: DeviceAnswerDeps,
  now: Date,
): Promise<DeviceSearchAnswer> {
  const query = classifyDeviceQuery(text);
  if (!query || query.value.length < SEARCH_MIN_CHARS)
    return { message: 'Type at least two characters of a serial number, computer name or e-mail address.' };
  if (query.value.length > MAX_DEVICE_QUERY)
    return {
      message: `Serial numbers, names and e-mail addresses are shorter than ${MAX_DEVICE_QUERY} characters.`,
    };
  return findMacs(query, deps, now);
}

/** The Mac a pasted Jamf Pro or Entra link names, as one item; null for any other link or no match. */
export async function unfurlDeviceLink(
  link: string,
  deps: DeviceAnswerDeps,
  now: Date,
): Promise<DeviceSearchItem | null> {
  const query = deviceLinkQuery(link, deps.jamfUrl);
  if (!query) return null;
  const answer = await findMacs(query, deps, now);
  return 'items' in answer && answer.items.length === 1 ? answer.items[0]! : null;
}

/** One Mac picked from the list (`composeExtension/selectItem`), read again; null when it is gone. */
export async function selectDevice(
  computerId: string,
  deps: DeviceAnswerDeps,
  now: Date,
): Promise<DeviceSearchItem | null> {
  const answer = await findMacs({ kind: 'jamf-id', value: computerId }, deps, now);
  return 'items' in answer ? (answer.items[0] ?? null) : null;
}

async function findMacs(query: LookupQuery, deps: DeviceAnswerDeps, now: Date): Promise<DeviceSearchAnswer> {
  const lookup = await deps.lookupMacs(query);
  throwWhenNothingToShow(lookup);
  const graphDown = lookup.failures.some((f) => f.service === 'graph');
  if (lookup.records.length === 0) return { message: `No Mac matches “${query.value}”.` };
  const items = await Promise.all(
    lookup.records.slice(0, SEARCH_MAX).map(async (record) => {
      const view = await cardView(record.jamf.id, deps, { shared: true, mode: 'readOnly' });
      return preview(record, graphDown, deps, now, deviceCard(record, lookup, deps, now, view));
    }),
  );
  return { items };
}

function preview(
  record: MacRecord,
  graphDown: boolean,
  deps: DeviceAnswerDeps,
  now: Date,
  card: AdaptiveCard,
): DeviceSearchItem {
  const { jamf } = record;
  const d = graphDown ? null : diagnoseMac(record, deps.criteria, now);
  return {
    computerId: jamf.id,
    title: jamf.name,
    subtitle: [d ? VERDICT_LABELS[d.verdict] : 'Verdict unknown', jamf.serialNumber]
      .filter(Boolean)
      .join(' · '),
    text: jamf.realName ?? jamf.email ?? jamf.username ?? 'No user assigned',
    card,
  };
}
