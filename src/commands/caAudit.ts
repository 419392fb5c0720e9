import { z } from 'zod';
import { caAuditCardModel } from '../cards/caAuditCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { auditConditionalAccess } from '../compliance/auditConditionalAccess';
import type { Services } from '../services';
import type { CardAction, Command } from './commandTypes';

/** The audit card from live policies; the policies and the registration app are read in parallel. */
export async function caAuditCard(services: Services, now: Date): Promise<AdaptiveCard> {
  const appId = services.config.connector.registrationAppId;
  const [policies, app] = await Promise.all([
    services.graph.listConditionalAccessPolicies(),
    services.graph.findServicePrincipal({ appId }),
  ]);
  const audit = auditConditionalAccess(policies, {
    registrationAppId: appId,
    registrationAppFound: app !== null,
  });
  return renderCard('caAudit', caAuditCardModel(audit, { now }));
}

/** `ca audit`: which Conditional Access policies could keep Macs from registering, and the fix for each. */
export const caAuditCommand: Command<Services> = {
  name: 'ca audit',
  aliases: ['conditional access', 'conditional access audit', 'audit ca', 'check ca'],
  audience: 'admin',
  summary: 'Conditional Access policies that need a compliant device, and whether they let Macs register.',
  usage: 'ca audit',
  examples: ['ca audit'],
  async run(ctx) {
    await ctx.reply({ card: await caAuditCard(ctx.services, ctx.now()) });
  },
};

/** "Refresh" on the audit card: audit again and update the card in place. */
export const caRefreshAction: CardAction<Services> = {
  verb: 'ca.refresh',
  audience: 'admin',
  // The Refresh button carries no data; anything else in it is ignored.
  schema: z.object({}),
  async run(ctx) {
    return { card: await caAuditCard(ctx.services, ctx.now()) };
  },
};
