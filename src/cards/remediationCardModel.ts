import type {
  RemediationKind,
  RemediationRequest,
  RemediationResult,
  StoredRemediation,
} from '../compliance/remediationTypes';
import type { ContainerStyle, Fact } from './cardParts';
import { escapeMarkdown } from './escapeMarkdown';

/** The button titles of the fixes, on the device card and as the cards' titles. */
export const REMEDIATION_TITLES: Readonly<Record<RemediationKind, string>> = {
  recalculate: 'Recalculate smart groups',
  wake: 'Wake the Mac',
  'add-to-group': 'Add the user to the connector group',
  'send-fix': 'Send the user the fix',
};

/** What each fix does, in one sentence, on the confirm card. */
const WHAT_IT_DOES: Readonly<Record<RemediationKind, string>> = {
  recalculate:
    'Jamf Pro re-evaluates every smart group for this Mac now, so its Compliance group membership (and what Jamf reports to Intune) follows its current inventory.',
  wake: 'Jamf Pro sends the Mac an empty MDM push: if it is on and online, it checks in with Jamf Pro now.',
  'add-to-group':
    "The user joins the Entra group the Jamf connector's macOS assignment targets, so Intune accepts this Mac's compliance from Jamf.",
  'send-fix':
    'The user gets their personal reminder for this Mac in their 1:1 chat with the bot, with a button that opens the registration policy in Self Service.',
};

/** The `remediation` template's model: a fix's confirm step, its result, or why it cannot run. */
export interface RemediationCardModel {
  style: ContainerStyle;
  title: string;
  text: string;
  /** Service, method and path: exactly what will be (or was) sent. */
  facts: readonly Fact[];
  /** The JSON body as sent, or '' for none. */
  body: string;
  note: string;
  /** Sent back by Confirm (the idempotency key); '' when there is nothing to confirm. */
  key: string;
  computerId: string;
  showConfirm: boolean;
  /** "Cancel" on the confirm step, "Refresh" after. */
  backTitle: string;
}

function requestFacts(r: RemediationRequest): Fact[] {
  return [
    { title: 'Service', value: r.service },
    { title: 'Request', value: r.service === 'Teams' ? escapeMarkdown(r.path) : `${r.method} ${r.path}` },
  ];
}

const bodyText = (r: RemediationRequest): string => (r.body === null ? '' : JSON.stringify(r.body, null, 2));

/** The confirm step: what the fix does and exactly what Confirm sends to which service. */
export function remediationConfirmModel(s: StoredRemediation): RemediationCardModel {
  return {
    style: 'emphasis',
    title: `${REMEDIATION_TITLES[s.kind]}: ${escapeMarkdown(s.macName)}?`,
    text: WHAT_IT_DOES[s.kind],
    facts: requestFacts(s.request),
    body: bodyText(s.request),
    note: 'Nothing is sent until you press **Confirm**, and pressing it again sends nothing more. Every press is in the audit log (`audit device.fix`).',
    key: s.key,
    computerId: s.computerId,
    showConfirm: true,
    backTitle: 'Cancel',
  };
}

/** A confirmed fix with no result after this long was cut off (a send takes seconds). */
const LOST_AFTER_MS = 10 * 60_000;

/** After Confirm (or a second press of it): what was done, or the service's refusal, plainly. */
export function remediationResultModel(
  s: StoredRemediation,
  result: RemediationResult | null,
  opts: { again?: boolean; now?: Date } = {},
): RemediationCardModel {
  const title = REMEDIATION_TITLES[s.kind];
  const mac = escapeMarkdown(s.macName);
  // Confirmed long ago with no result: the bot stopped mid-send (a restart), and never will finish it.
  const lost =
    result === null && opts.now !== undefined && opts.now.getTime() - Date.parse(s.updatedAt) > LOST_AFTER_MS;
  const head =
    result === null
      ? `${title}: ${mac} — ${lost ? 'result unknown' : 'still running'}`
      : result.outcome === 'done'
        ? `Done — ${title.toLowerCase()}: ${mac}`
        : `Not done — ${title.toLowerCase()}: ${mac}`;
  return {
    style: result === null ? 'warning' : result.outcome === 'done' ? 'good' : 'attention',
    title: head,
    text:
      result === null
        ? lost
          ? 'This fix was confirmed, but the bot stopped before it recorded what the service answered, so whether it was sent is unknown. See `audit device.fix` and the Mac’s state (**Refresh**); to try again, choose the fix again on the device card.'
          : 'This fix was confirmed before and has not finished; it is not sent again.'
        : // Plain text: the bot's words with a Mac's, a person's or a group's name and a
          // service's message in them, none of it markdown.
          escapeMarkdown(result.message),
    facts: requestFacts(s.request),
    body: bodyText(s.request),
    note: opts.again
      ? 'This was confirmed before: nothing was sent again. Press **Refresh** for the Mac’s state now.'
      : 'Press **Refresh** for the Mac’s state now (a change can take a while to show).',
    key: '',
    computerId: s.computerId,
    showConfirm: false,
    backTitle: 'Refresh',
  };
}

/** *Add the user to the connector group* when the group is dynamic: nothing to send, its rule. */
export function remediationDynamicGroupModel(d: {
  macName: string;
  computerId: string;
  groupName: string;
  rule: string;
  userUpn: string;
}): RemediationCardModel {
  return {
    style: 'warning',
    title: `${escapeMarkdown(d.groupName)} is a dynamic group`,
    text: `Entra ID decides its members by a rule, so nobody can be added by hand: change ${escapeMarkdown(d.userUpn)}'s attributes so the rule matches them, or change the rule.`,
    facts: [
      { title: 'Group', value: escapeMarkdown(d.groupName) },
      { title: 'Membership rule', value: escapeMarkdown(d.rule) },
    ],
    body: '',
    note: 'Nothing was sent.',
    key: '',
    computerId: d.computerId,
    showConfirm: false,
    backTitle: 'Refresh',
  };
}
