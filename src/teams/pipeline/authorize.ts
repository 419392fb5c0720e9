import { ENGLISH, type Translator } from '../../cards/i18n/translator';
import { renderCard, type AdaptiveCard } from '../../cards/renderCard';
import type { Caller } from '../../commands/commandTypes';
import type { Logger } from '../../log';
import type { AuditLog } from '../../store/ports/auditLog';
import type { Step } from './runChain';
import { readerOf } from './readerOf';
import type { Turn } from './turn';

/** The answer to a non-admin who typed an admin command, in their language. */
export function adminOnlyCard(commandName: string, tr: Translator = ENGLISH): AdaptiveCard {
  return renderCard('notice', {
    style: 'warning',
    title: tr.t('adminOnly.title'),
    text: tr.t('adminOnly.text', { command: commandName }),
  });
}

export interface AuthorizeDeps {
  /** Where refusals are audited. */
  audit?: Pick<AuditLog, 'appendAudit'>;
  now: () => Date;
}

/**
 * Admin commands and admin buttons for admins only. Re-authorised here, whatever the card says:
 * a card forwarded to a non-admin still shows the admin's buttons, but pressing them is refused.
 * Each refusal is logged, counted and audited.
 */
export function authorize(deps: AuthorizeDeps): Step<Turn> {
  return async (turn, next) => {
    const caller = turn.identified();
    const handler = turn.routed();
    if (handler.audience !== 'admin' || caller.isAdmin) return next();
    const what = turn.kind === 'message' ? 'admin command' : 'admin card action';
    turn.log.warn(
      {
        [turn.kind === 'message' ? 'command' : 'verb']: handler.name,
        aadObjectId: caller.aadObjectId,
        scope: turn.conversation.scope,
      },
      `refused: ${what} from a non-admin`,
    );
    turn.count('refused_admin');
    await auditRefusal(deps, turn.log, caller, handler.name, `${what} from a non-admin`);
    const tr = readerOf(caller);
    await turn.answer(
      turn.kind === 'message' ? { card: adminOnlyCard(handler.name, tr) } : tr.t('adminOnly.button'),
    );
  };
}

/** Records a refusal in the audit log; a store failure is logged, never shown to the caller. */
async function auditRefusal(
  deps: AuthorizeDeps,
  log: Logger,
  caller: Caller,
  action: string,
  reason: string,
): Promise<void> {
  await deps.audit
    ?.appendAudit({
      at: deps.now().toISOString(),
      actor: { teamsUserId: caller.teamsUserId, aadObjectId: caller.aadObjectId, name: caller.name },
      action,
      target: null,
      outcome: 'refused',
      details: { reason },
    })
    .catch((err: unknown) => log.error({ err }, 'could not audit a refusal'));
}
