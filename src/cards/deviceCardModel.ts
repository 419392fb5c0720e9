import type { Diagnosis, Severity } from '../compliance/diagnosisTypes';
import { fileVaultLabel } from '../compliance/fileVaultLabels';
import { hasApplication } from '../compliance/hasApplication';
import { isInGroup } from '../compliance/isInGroup';
import { REASON_LABELS } from '../compliance/reasonLabels';
import type { RemediationKind } from '../compliance/remediationTypes';
import type { JoinMethod, MacRecord } from '../compliance/types';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { ContainerStyle, Fact, TextColor } from './cardParts';
import { formatRelative, formatWhen } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';
import { REMEDIATION_TITLES } from './remediationCardModel';

/** Container styles per severity (Adaptive Cards: good = green, warning = amber, attention = red). */
const STYLE: Record<Severity, ContainerStyle> = { good: 'good', warning: 'warning', attention: 'attention' };
/** TextBlock colours per severity, for lists of Macs (pick list). */
export const SEVERITY_TEXT_COLOR: Record<Severity, TextColor> = {
  good: 'Good',
  warning: 'Warning',
  attention: 'Attention',
};

const JOINED_BY: Record<JoinMethod, string> = {
  'jamf-device-id': 'Device id reported by Jamf',
  'name-and-owner': 'Same name and owner',
  name: 'Same name only (weak)',
  none: '—',
};

export interface DeviceLinks {
  /** Jamf Pro's base URL, for "Open in Jamf Pro". */
  jamfUrl: string;
}

/** Jamf Pro's computer page. */
export function jamfComputerLink(jamfUrl: string, computerId: string): string {
  return jamfUrl
    ? `${jamfUrl.replace(/\/+$/, '')}/computers.html?id=${encodeURIComponent(computerId)}&o=r`
    : '';
}

/** The device's page in the Entra admin center. */
export function entraDeviceLink(objectId: string, deviceId: string): string {
  return `https://entra.microsoft.com/#view/Microsoft_AAD_Devices/DeviceDetailsMenuBlade/~/Properties/objectId/${encodeURIComponent(
    objectId,
  )}/deviceId/${encodeURIComponent(deviceId)}`;
}

/** The `deviceCard` template's model. */
export interface DeviceCardModel {
  verdictStyle: ContainerStyle;
  verdictColor: TextColor;
  verdictLabel: string;
  headline: string;
  notice: string;
  title: string;
  subtitle: string;
  reasonsTitle: string;
  reasons: readonly { marker: string; label: string; detail: string; fixWho: string; fix: string }[];
  jamfFacts: readonly Fact[];
  entraFacts: readonly Fact[];
  checkedAt: string;
  /** Sent back by Refresh and Remind user. */
  computerId: string;
  showRemind: boolean;
  /** The fixes that can help this Mac's verdict (admins), each a `device.fix` button. */
  fixes: readonly { title: string; kind: RemediationKind; computerId: string }[];
  jamfLink: string;
  entraLink: string;
  /** The Refresh button (full view only). */
  showRefresh: boolean;
  /**
   * Universal Actions `refresh` for a card many people see (a channel, an inserted card): Teams
   * asks the bot for each viewer's own view (`device.view`) as they open it.
   */
  hasRefresh: boolean;
  /**
   * Whom Teams refreshes it for automatically (user MRIs, at most 60). Null = left out: Teams
   * then refreshes it for everyone in chats under 60 people, and offers the card menu's Refresh
   * in larger ones — so admins known only by their team, or while Graph is down, still get the
   * full view.
   */
  refreshUserIds: readonly string[] | null;
  /** Sent back by that refresh: the Mac and the bot's signature over it (for non-admins' views). */
  viewSignature: string;
}

/** Who a device card is shown to, and whether others see it too. */
export interface DeviceCardView {
  /** `readOnly`: no fixes, no Remind, no Refresh — what anyone in a channel may see. */
  mode: 'full' | 'readOnly';
  /** A card many people see: the admins to refresh it for (Teams takes at most 60, `deviceViewers` caps it) and its signature. */
  shared?: { adminIds: readonly string[]; signature: string };
}

/** Teams refreshes a card automatically for at most 60 listed users. */
export const REFRESH_USER_IDS_MAX = 60;

const inGroupText = (record: MacRecord, group: string): string =>
  isInGroup(record.jamf.groups, group) ? 'Member' : 'Not a member';

/**
 * The device card's view model: the verdict as a coloured headline, the reasons with who fixes
 * what, Jamf and Entra facts as short FactSets (dates relative, absolute in brackets), and links.
 * `diagnosis` is null when Entra ID could not be asked: the card then shows facts, no verdict.
 */
export function deviceCardModel(
  record: MacRecord,
  diagnosis: Diagnosis | null,
  opts: {
    now: Date;
    jamfUrl: string;
    criteria: { applicableGroup: string; complianceGroup: string; requiredApp: string | null };
    notice?: string;
    /** When the Jamf facts came from the inventory index: when it was loaded (null/absent = live). */
    jamfAsOf?: Date | null;
    showRemind?: boolean;
    /** Fixes to offer (`remediationsFor`); admins' cards only. */
    fixes?: readonly RemediationKind[];
    /** Who reads the card: fixes are worded "You" for the Mac's user, "User" for admins. */
    audience?: 'admin' | 'owner';
    /** Full (default) or read-only, and the refresh of a shared card. */
    view?: DeviceCardView;
  },
): DeviceCardModel {
  const { jamf, entra } = record;
  const owner = opts.audience === 'owner';
  const readOnly = opts.view?.mode === 'readOnly';
  const shared = opts.view?.shared;
  const severity: Severity = diagnosis?.severity ?? 'warning';
  const reasons = (diagnosis?.reasons ?? []).map((r) => ({
    marker: r.level === 'problem' ? '❌' : '⚠️',
    label: REASON_LABELS[r.code],
    detail: r.detail,
    fixWho: r.fix.who === 'it' ? 'IT' : owner ? 'You' : 'User',
    fix: r.fix.text,
  }));
  const subtitle = [
    jamf.serialNumber ? `Serial ${jamf.serialNumber}` : null,
    jamf.model,
    jamf.osVersion ? `macOS ${jamf.osVersion}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const app = opts.criteria.requiredApp;
  const jamfFacts = [
    {
      title: 'User',
      value: jamf.realName
        ? `${jamf.realName} (${jamf.email ?? jamf.username ?? '—'})`
        : (jamf.email ?? jamf.username ?? 'No user assigned'),
    },
    { title: 'Last inventory', value: formatWhen(jamf.reportDate, opts.now) },
    { title: 'Last check-in', value: formatWhen(jamf.lastContact, opts.now) },
    {
      title: 'FileVault',
      value: jamf.fileVault2Status ? fileVaultLabel(jamf.fileVault2Status) : 'Unknown',
    },
    ...(app
      ? [{ title: 'Company Portal', value: hasApplication(jamf.applications, app) ? 'Installed' : 'Missing' }]
      : []),
    { title: 'Applicable group', value: inGroupText(record, opts.criteria.applicableGroup) },
    { title: 'Compliance group', value: inGroupText(record, opts.criteria.complianceGroup) },
    ...(record.jamfCompliance
      ? [{ title: 'Jamf reports', value: humanState(record.jamfCompliance.complianceState) }]
      : []),
  ];
  const entraFacts = entra
    ? [
        { title: 'Device', value: `${entra.displayName} (${entra.trustType ?? 'unknown join type'})` },
        {
          title: 'Compliant',
          value: entra.isCompliant === null ? 'N/A (no report yet)' : entra.isCompliant ? 'Yes' : 'No',
        },
        { title: 'Registered', value: formatWhen(entra.registrationDateTime, opts.now) },
        { title: 'Last sign-in', value: formatWhen(entra.approximateLastSignInDateTime, opts.now) },
        { title: 'Matched by', value: JOINED_BY[record.joinedBy] },
        ...(record.userInConnectorGroup === null
          ? []
          : [{ title: 'In connector group', value: record.userInConnectorGroup ? 'Yes' : 'No' }]),
      ]
    : [{ title: 'Device', value: diagnosis ? 'Not registered' : 'Unknown (Entra ID did not answer)' }];
  return {
    verdictStyle: STYLE[severity],
    verdictColor: SEVERITY_TEXT_COLOR[severity],
    verdictLabel: diagnosis ? VERDICT_LABELS[diagnosis.verdict] : 'Verdict unknown',
    headline:
      diagnosis?.headline ?? 'Entra ID did not answer, so I cannot tell whether this Mac is compliant.',
    notice: opts.notice ?? '',
    title: escapeMarkdown(jamf.name),
    subtitle,
    reasonsTitle: owner ? 'What to do' : 'Why, and what fixes it',
    reasons,
    jamfFacts,
    entraFacts,
    checkedAt: opts.jamfAsOf
      ? `Checked ${formatWhen(opts.now.toISOString(), opts.now)}; Jamf Pro facts from its inventory as loaded ${formatRelative(opts.jamfAsOf.toISOString(), opts.now)} (Refresh asks Jamf Pro now)`
      : `Checked ${formatWhen(opts.now.toISOString(), opts.now)}`,
    computerId: jamf.id,
    showRemind: !readOnly && (opts.showRemind ?? false),
    fixes:
      owner || readOnly
        ? []
        : (opts.fixes ?? []).map((kind) => ({ title: REMEDIATION_TITLES[kind], kind, computerId: jamf.id })),
    jamfLink: owner ? '' : jamfComputerLink(opts.jamfUrl, jamf.id),
    entraLink: owner || !entra ? '' : entraDeviceLink(entra.id, entra.deviceId),
    showRefresh: !owner && !readOnly,
    hasRefresh: shared !== undefined,
    refreshUserIds: shared && shared.adminIds.length > 0 ? shared.adminIds : null,
    viewSignature: shared?.signature ?? '',
  };
}

function humanState(s: string): string {
  return s === 'COMPLIANT' ? 'Compliant' : s === 'NON_COMPLIANT' ? 'Not compliant' : 'Unknown';
}
