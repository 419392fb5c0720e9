import { caAuditCardModel } from '../cards/caAuditCardModel';
import { renderCard } from '../cards/renderCard';
import type { CaAudit } from '../compliance/auditConditionalAccess';
import { refreshableCardCommand, type RefreshableCardCommand } from './refreshableCardCommand';

export interface CaAuditDeps {
  /** The tenant's Conditional Access policies, audited from live data (`loadCaAudit`). */
  loadCaAudit: () => Promise<CaAudit>;
}

/**
 * `ca audit`: which Conditional Access policies could keep Macs from registering, and the fix for
 * each; Refresh (`ca.refresh`) audits again.
 */
export function caAuditCommand(deps: CaAuditDeps): RefreshableCardCommand {
  return refreshableCardCommand({
    name: 'ca audit',
    aliases: ['conditional access', 'conditional access audit', 'audit ca', 'check ca'],
    summary: 'Conditional Access policies that need a compliant device, and whether they let Macs register.',
    usage: 'ca audit',
    examples: ['ca audit'],
    verb: 'ca.refresh',
    card: async (now) => renderCard('caAudit', caAuditCardModel(await deps.loadCaAudit(), { now })),
  });
}
