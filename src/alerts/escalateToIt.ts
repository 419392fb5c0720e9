import { escalationCardModel } from '../cards/escalationCardModel';
import { renderCard } from '../cards/renderCard';
import type { CallerMacs } from '../compliance/callerMacs';
import type { Logger } from '../log';
import type { Notifier } from '../notifier';
import type { AuditActor } from '../compliance/auditTypes';
import type { EscalationStore } from '../store/ports/escalationStore';
import type { AuditLog } from '../store/ports/auditLog';

export interface EscalateToItDeps {
  store: EscalationStore & Pick<AuditLog, 'appendAudit'>;
  notifier: Pick<Notifier, 'postToAdminChannel'>;
}

/** A person's request for help, with what the bot could find out about their Macs. */
export interface EscalationRequest {
  actor: AuditActor;
  /** The person's Entra object id, else their Teams id: one escalation per key and UTC day. */
  userKey: string;
  name: string | null;
  upn: string | null;
  /** Their Macs and the diagnosis; null when the look-up failed (`lookupProblem` says why). */
  macs: CallerMacs | null;
  lookupProblem: string;
  /** What the person wrote when asking, shown to IT as typed. */
  note: string;
  now: Date;
  log: Logger;
}

/** What happened: posted, already posted today (at `since`), or no admin channel to post to. */
export type EscalationOutcome =
  { outcome: 'sent' } | { outcome: 'already_sent'; since: string } | { outcome: 'no_channel' };

/**
 * Posts the person's request for help, with their Macs and the diagnosis, to the admin channel
 * (through the notifier), at most once per person per UTC day: the store opens the day's
 * escalation atomically, so a double press sends one card. If no admin channel is known yet,
 * the escalation does not count. Every outcome is audited; an audit failure is logged only.
 */
export async function escalateToIt(deps: EscalateToItDeps, r: EscalationRequest): Promise<EscalationOutcome> {
  const { store, notifier } = deps;
  const { now, log } = r;
  const opened = await store.openEscalation({
    userKey: r.userKey,
    day: now.toISOString().slice(0, 10),
    createdAt: now.toISOString(),
    userName: r.name,
    userUpn: r.upn,
  });
  const audit = (outcome: string, details: Record<string, unknown>) =>
    store
      .appendAudit({
        at: now.toISOString(),
        actor: r.actor,
        action: 'contact it',
        target: r.upn,
        outcome,
        details,
      })
      .catch((err: unknown) => log.error({ err }, 'could not audit contact IT'));

  if (!opened.created) {
    await audit('refused', { reason: 'already escalated today', escalationId: opened.existing.id });
    return { outcome: 'already_sent', since: opened.existing.createdAt };
  }
  const { escalation } = opened;
  const card = renderCard(
    'escalationCard',
    escalationCardModel({
      name: r.name,
      upn: r.upn,
      caller: r.macs,
      lookupProblem: r.lookupProblem,
      now,
      note: r.note,
    }),
  );
  const posted = await notifier.postToAdminChannel(card).catch((err: unknown) => {
    log.error({ err }, 'contact IT: could not post to the admin channel');
    return null;
  });
  if (!posted) {
    await store.markEscalationFailed(escalation.id);
    await audit('failed', { reason: 'no admin channel, or the post failed', escalationId: escalation.id });
    return { outcome: 'no_channel' };
  }
  await store.markEscalationPosted(escalation.id, posted);
  await audit('sent', {
    escalationId: escalation.id,
    macs:
      r.macs?.macs.map((m) => ({ computerId: m.record.jamf.id, verdict: m.diagnosis?.verdict ?? null })) ??
      [],
  });
  return { outcome: 'sent' };
}
