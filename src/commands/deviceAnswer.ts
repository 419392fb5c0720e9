import { deviceCardModel, SEVERITY_TEXT_COLOR, type DeviceCardView } from '../cards/deviceCardModel';
import { formatRelative } from '../cards/formatDate';
import { escapeMarkdown } from '../cards/escapeMarkdown';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { diagnoseMac } from '../compliance/diagnoseMac';
import type { DiagnosisContext } from '../compliance/diagnosisTypes';
import type { ComplianceCriteria, JamfComputer, MacRecord } from '../compliance/types';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { UpstreamService } from '../errors';
import type { LookupQuery, MacLookup } from '../lookup/lookupMacs';
import { AUDIENCE_VERDICTS } from '../broadcasts/selectAudience';
import { remediationsFor } from '../compliance/remediationsFor';

export interface DeviceAnswerDeps {
  /** Finds and joins the Mac(s) a query names (`lookupMacs`, with the inventory index). */
  lookupMacs: (query: LookupQuery) => Promise<MacLookup>;
  /** "Did you mean" candidates when nothing matched (`suggestMacs`). */
  suggestMacs: (text: string) => Promise<JamfComputer[]>;
  criteria: ComplianceCriteria;
  /** Jamf Pro's base URL, for the "Open in Jamf Pro" link. */
  jamfUrl: string;
  /** Who sees a shared card's full view; without it shared cards are full views for everyone. */
  viewers?: DeviceViewers;
}

/**
 * A device card many people see (a channel, a card inserted from the compose box) is read-only
 * for everyone and refreshed into the full view for the admins (Universal Actions `refresh`).
 */
export interface DeviceViewers {
  /** The admins' Entra object ids, as far as the bot knows them; never throws. */
  adminIds(): Promise<string[]>;
  /** A signature over the Mac's id, so only Macs the bot put on a card get a read-only view. */
  sign(computerId: string): string;
  verify(computerId: string, signature: string): boolean;
}

/**
 * How a device answer is shown: full (default) or read-only, and whether many people see it. A
 * shared card without `viewers` stays the full view (nobody could refresh it into one).
 */
export interface DeviceAnswerView {
  mode?: 'full' | 'readOnly';
  shared?: boolean;
}

/** Most Macs a pick list shows; more means the search was too broad. */
const PICK_LIST_MAX = 10;

const SERVICE: Record<UpstreamService, string> = {
  graph: 'Entra ID (Microsoft Graph)',
  jamf: 'Jamf Pro',
  teams: 'Teams',
  store: 'the database',
};

function describeSearch(q: LookupQuery): string {
  const v = `“${escapeMarkdown(q.value)}”`;
  switch (q.kind) {
    case 'device-id':
      return `I looked for Entra device id ${v} in Entra ID, then for a Mac with that device's name or owner in Jamf Pro.`;
    case 'user':
      return `I looked for Macs whose user is ${v} in Jamf Pro, and for that user's devices in Entra ID.`;
    case 'serial-or-name':
      return `I searched Jamf Pro for a Mac with serial number or computer name ${v}, and Entra ID for a device named ${v}.`;
    case 'jamf-id':
      return `I looked for Jamf Pro computer id ${v}.`;
    case 'entra-user':
      return `I looked for the Macs of Entra user ${v} in Jamf Pro and Entra ID.`;
  }
}

function failureNotice(lookup: MacLookup): string {
  return lookup.failures
    .map(
      (f) =>
        `${SERVICE[f.service]} did not answer (${f.error.code.replace('_', ' ')}), so its facts are missing.`,
    )
    .join(' ');
}

function diagnosisContext(lookup: MacLookup): DiagnosisContext {
  const id = lookup.connector?.groupIds[0];
  const name = id ? lookup.connector?.groupNames[id] : undefined;
  return name ? { connectorGroupName: name } : {};
}

/** The device card for one joined Mac. */
export function deviceCard(
  record: MacRecord,
  lookup: MacLookup,
  deps: DeviceAnswerDeps,
  now: Date,
  view: DeviceCardView = { mode: 'full' },
): AdaptiveCard {
  const graphDown = lookup.failures.some((f) => f.service === 'graph');
  const diagnosis = graphDown ? null : diagnoseMac(record, deps.criteria, now, diagnosisContext(lookup));
  return renderCard(
    'deviceCard',
    deviceCardModel(record, diagnosis, {
      now,
      jamfUrl: deps.jamfUrl,
      criteria: deps.criteria,
      notice: failureNotice(lookup),
      jamfAsOf: lookup.jamfAsOf,
      audience: 'admin',
      view,
      // "Remind user": only when the Mac's user has something to do.
      showRemind:
        record.user !== null && diagnosis !== null && AUDIENCE_VERDICTS.all.includes(diagnosis.verdict),
      // The fixes that can help this verdict (issue 19); none while Entra ID cannot be asked.
      fixes: diagnosis
        ? remediationsFor(record, diagnosis, { connectorGroupId: lookup.connector?.groupIds[0] ?? null })
        : [],
    }),
  );
}

/**
 * Looks a query up and answers with the right card: the device card for one Mac, a pick list for
 * several, or "no match" with suggestions. When both services fail the first failure is thrown
 * for the error card; when one fails, what the other said is shown and the gap is named.
 */
export async function answerDeviceQuery(
  query: LookupQuery,
  deps: DeviceAnswerDeps,
  now: Date,
  view: DeviceAnswerView = {},
): Promise<AdaptiveCard> {
  const lookup = await deps.lookupMacs(query);
  throwWhenNothingToShow(lookup);
  const jamfDown = lookup.failures.find((f) => f.service === 'jamf');
  const graphDown = lookup.failures.find((f) => f.service === 'graph');

  if (lookup.records.length === 1) {
    const record = lookup.records[0]!;
    return deviceCard(record, lookup, deps, now, await cardView(record.jamf.id, deps, view));
  }

  if (lookup.records.length > 1) {
    const shown = lookup.records.slice(0, PICK_LIST_MAX);
    return renderCard('devicePickList', {
      title: `${lookup.records.length} Macs match “${escapeMarkdown(query.value)}”`,
      intro: 'Pick one to see its diagnosis.',
      choices: shown.map((r) => {
        const d = graphDown ? null : diagnoseMac(r, deps.criteria, now, diagnosisContext(lookup));
        return {
          name: escapeMarkdown(r.jamf.name),
          details: [
            r.jamf.serialNumber ? `Serial ${r.jamf.serialNumber}` : null,
            r.jamf.realName ?? r.jamf.email ?? 'no user',
            `inventory ${formatRelative(r.jamf.reportDate, now)}`,
          ]
            .filter(Boolean)
            .join(' · '),
          verdictLabel: d ? VERDICT_LABELS[d.verdict] : 'Verdict unknown',
          verdictColor: d ? SEVERITY_TEXT_COLOR[d.severity] : 'Default',
          computerId: r.jamf.id,
        };
      }),
      more:
        lookup.records.length > PICK_LIST_MAX
          ? `Showing ${PICK_LIST_MAX} of ${lookup.records.length}. Search by serial number to narrow it down.`
          : failureNotice(lookup),
    });
  }

  const suggestions =
    query.kind === 'serial-or-name' && !jamfDown ? await deps.suggestMacs(query.value).catch(() => []) : [];
  return renderCard('deviceNotFound', {
    title: `No Mac matches “${escapeMarkdown(query.value)}”`,
    searched: describeSearch(query),
    notice: failureNotice(lookup),
    suggestions: suggestions.map((c) => ({
      name: c.serialNumber ? `${c.name} (${c.serialNumber})` : c.name,
      computerId: c.id,
    })),
    entraOnlyTitle: lookup.entraOnly.length ? 'In Entra ID, but no Mac in Jamf Pro joins to it:' : '',
    entraOnly: lookup.entraOnly.map((d) => ({
      title: escapeMarkdown(d.displayName),
      value: `device id ${d.deviceId} · compliant: ${d.isCompliant === null ? 'N/A' : d.isCompliant ? 'yes' : 'no'} · registered ${formatRelative(d.registrationDateTime, now)}`,
    })),
    hint: "Try a serial number, a computer name, an Entra device id or a user's e-mail, e.g. **check device C02DEMO0004**.",
  });
}

/**
 * Jamf Pro failed and Entra ID has nothing to show either (it failed too, or holds no device the
 * query names): the Jamf failure is the answer, thrown for the error card.
 */
export function throwWhenNothingToShow(lookup: MacLookup): void {
  const jamfDown = lookup.failures.find((f) => f.service === 'jamf');
  const graphDown = lookup.failures.some((f) => f.service === 'graph');
  if (jamfDown && (graphDown || lookup.entraOnly.length === 0)) throw jamfDown.error;
}

/** The card view for one Mac: a shared card carries the admins to refresh it for and its signature. */
export async function cardView(
  computerId: string,
  deps: Pick<DeviceAnswerDeps, 'viewers'>,
  view: DeviceAnswerView,
): Promise<DeviceCardView> {
  if (!view.shared) return { mode: view.mode ?? 'full' };
  if (!deps.viewers) return { mode: 'full' };
  return {
    mode: view.mode ?? 'full',
    shared: { adminIds: await deps.viewers.adminIds(), signature: deps.viewers.sign(computerId) },
  };
}
