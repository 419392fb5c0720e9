import { diagnoseMac } from '../compliance/diagnoseMac';
import { VERDICT_LABELS } from '../compliance/verdictLabels';
import { REASON_LABELS } from '../compliance/reasonLabels';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import type { ComplianceHistoryStore } from '../store/ports/complianceHistoryStore';
import { lookupMacs, type LookupDeps } from '../lookup/lookupMacs';
import type { ReminderCheck, RecheckRecipient } from './reminderCheck';
import { SEND_FIX_VERDICTS } from '../compliance/remediationsFor';
import { AUDIENCE_VERDICTS } from './selectAudience';

/**
 * The re-check just before a reminder: the person's Macs from live Jamf and Entra data (the
 * `check device <user>` look-up), diagnosed again. Macs no longer in the campaign's verdicts
 * drop out; nobody left → skipped `now_compliant`. A service that does not answer throws, and
 * the dispatcher retries later rather than remind on stale facts.
 */
export function recheckRecipient(
  deps: LookupDeps & {
    config: Pick<AppConfig, 'criteria'>;
    /** What the re-check saw goes into the compliance history (the campaign funnel, issue 19). */
    history?: Pick<ComplianceHistoryStore, 'recordComplianceObservations'>;
    /** Where a history write that failed is reported: it must not hold back the reminder. */
    logger?: Pick<Logger, 'warn'>;
  },
  now: () => Date,
): RecheckRecipient {
  return async (recipient, campaign): Promise<ReminderCheck> => {
    if (!recipient.upn) return { due: false, reason: 'no_macs_left', detail: 'no user principal name' };
    const lookup = await lookupMacs({ kind: 'user', value: recipient.upn }, deps);
    const failure = lookup.failures[0];
    if (failure) throw failure.error;
    // A device card's *Send the user the fix* names one Mac (with its Self Service link): only
    // that Mac, while it still is not registered or waits for its first report.
    const pinned = new Map(recipient.macs.filter((m) => m.selfServiceUrl).map((m) => [m.computerId, m]));
    const wanted = new Set(pinned.size ? SEND_FIX_VERDICTS : AUDIENCE_VERDICTS[campaign.audience]);
    const groupId = lookup.connector?.groupIds[0];
    const groupName = groupId ? lookup.connector?.groupNames[groupId] : undefined;
    const at = now();
    const diagnosed = lookup.records.map((r) => ({
      record: r,
      diagnosis: diagnoseMac(r, deps.config.criteria, at, groupName ? { connectorGroupName: groupName } : {}),
    }));
    await deps.history
      ?.recordComplianceObservations(
        diagnosed
          .filter((m) => m.diagnosis.verdict !== 'not_applicable')
          .map((m) => ({
            jamfId: m.record.jamf.id,
            userId: m.record.user?.id ?? recipient.recipientId,
            compliant: m.diagnosis.verdict === 'compliant',
          })),
        at.toISOString(),
      )
      .catch((err: unknown) =>
        deps.logger?.warn(
          { err, recipientId: recipient.recipientId },
          'could not record the re-check in the compliance history',
        ),
      );
    const due = diagnosed.filter(
      (m) => wanted.has(m.diagnosis.verdict) && (pinned.size === 0 || pinned.has(m.record.jamf.id)),
    );
    if (due.length === 0) {
      return {
        due: false,
        reason: lookup.records.length ? 'now_compliant' : 'no_macs_left',
        detail: lookup.records.map((r) => r.jamf.name).join(', '),
      };
    }
    return {
      due: true,
      macs: due.map(({ record, diagnosis }) => ({
        computerId: record.jamf.id,
        name: record.jamf.name,
        serialNumber: record.jamf.serialNumber,
        verdictLabel: VERDICT_LABELS[diagnosis.verdict],
        headline: diagnosis.headline,
        steps: diagnosis.reasons
          .filter((r) => r.level === 'problem' && r.fix.who === 'user')
          .map((r) => ({ label: REASON_LABELS[r.code], fix: r.fix.text })),
        // The codes, so the card can be written in the recipient's language.
        verdict: diagnosis.verdict,
        reasons: diagnosis.reasons
          .filter((r) => r.level === 'problem' && r.fix.who === 'user')
          .map((r) => ({ code: r.code, level: r.level, who: r.fix.who })),
        ...(pinned.get(record.jamf.id)?.selfServiceUrl
          ? { selfServiceUrl: pinned.get(record.jamf.id)!.selfServiceUrl }
          : {}),
      })),
    };
  };
}
