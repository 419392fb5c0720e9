import type { CallerMacs } from '../compliance/callerMacs';
import { REASON_LABELS } from '../compliance/reasonLabels';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import type { Fact, TextColor, TextLine } from './cardParts';
import { SEVERITY_TEXT_COLOR } from './deviceCardModel';
import { formatWhen } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';

/** The `escalationCard` template's model. */
export interface EscalationCardModel {
  title: string;
  facts: readonly Fact[];
  notice: string;
  note: string;
  macs: readonly {
    name: string;
    details: string;
    verdict: string;
    color: TextColor;
    headline: string;
    next: string;
    checkHint: string;
  }[];
  entraOnly: readonly TextLine[];
  chatLink: string;
}

/**
 * The escalation card IT reads in the admin channel: who asked, their Macs with the admin
 * diagnosis (verdict, headline, the first thing to fix), their connector-group membership, the
 * `check device` line for each Mac's full card, and a button to chat with the person. `caller` is null when the
 * look-up itself failed: IT still gets the request, with that said.
 */
export function escalationCardModel(opts: {
  name: string | null;
  upn: string | null;
  caller: CallerMacs | null;
  lookupProblem: string;
  now: Date;
  /** What the person wrote, if anything. */
  note?: string;
}): EscalationCardModel {
  const { caller } = opts;
  const who = escapeMarkdown(opts.name ?? opts.upn ?? 'Someone');
  const macs = (caller?.macs ?? []).slice(0, 5).map(({ record, diagnosis }) => ({
    name: escapeMarkdown(record.jamf.name),
    details: [record.jamf.serialNumber ? `Serial ${record.jamf.serialNumber}` : null, record.jamf.model]
      .filter(Boolean)
      .join(' · '),
    verdict: diagnosis ? VERDICT_LABELS[diagnosis.verdict] : 'Verdict unknown',
    color: diagnosis ? SEVERITY_TEXT_COLOR[diagnosis.severity] : 'Default',
    headline: diagnosis?.headline ?? 'Entra ID did not answer.',
    next: diagnosis?.nextStep
      ? `Next: ${REASON_LABELS[diagnosis.nextStep.code]} — ${diagnosis.nextStep.fix.who === 'it' ? 'IT' : 'user'}: ${diagnosis.nextStep.fix.text}`
      : '',
    // A hint, not a button: an Action.Execute answer would replace this card in the channel.
    checkHint: `For the details: check device ${record.jamf.serialNumber ?? escapeMarkdown(record.jamf.name)}`,
  }));
  const group =
    caller?.inConnectorGroup === true ? 'Yes' : caller?.inConnectorGroup === false ? 'No' : 'Unknown';
  const facts = [
    { title: 'User', value: opts.upn ? `${who} (${escapeMarkdown(opts.upn)})` : who },
    { title: 'Asked', value: formatWhen(opts.now.toISOString(), opts.now) },
    {
      title: 'Connector group',
      value: caller?.connectorGroupName ? `${group} (${escapeMarkdown(caller.connectorGroupName)})` : group,
    },
    { title: 'Macs found', value: caller ? String(caller.macs.length + caller.entraOnly.length) : 'Unknown' },
  ];
  return {
    title: `${who} asked IT for help with their Mac`,
    facts,
    notice: opts.lookupProblem,
    note: opts.note?.trim()
      ? `They wrote: “${escapeMarkdown(opts.note.trim().slice(0, 300))}${opts.note.trim().length > 300 ? '…' : ''}”`
      : '',
    macs,
    entraOnly: (caller?.entraOnly ?? []).map((d) => ({
      text: `In Entra only: ${escapeMarkdown(d.displayName)} (device id ${d.deviceId}), no Jamf computer under this user.`,
    })),
    chatLink: opts.upn ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(opts.upn)}` : '',
  };
}
