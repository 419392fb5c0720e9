import { auditLogCardModel } from '../cards/auditLogCardModel';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { UserInputError } from '../errors';
import type { Services } from '../services';
import { z } from 'zod';
import type { CardAction, Command } from './commandTypes';

/** Entries per page: enough to follow one Apply, short enough to read on a phone. */
export const AUDIT_PAGE_SIZE = 10;

async function auditCard(
  services: Services,
  opts: { beforeId?: number; action?: string },
): Promise<AdaptiveCard> {
  // One more than shown tells whether an Older page exists.
  const rows = await services.store.listAudit({ limit: AUDIT_PAGE_SIZE + 1, ...opts });
  const entries = rows.slice(0, AUDIT_PAGE_SIZE);
  return renderCard(
    'auditLog',
    auditLogCardModel(entries, { ...opts, hasOlder: rows.length > AUDIT_PAGE_SIZE }),
  );
}

/** `audit [action]`: the newest audit entries (optionally of one action, e.g. `onboard.apply`). */
export const auditCommand: Command<Services> = {
  name: 'audit',
  aliases: ['audit log'],
  audience: 'admin',
  summary: 'Who did what and when: the newest audit log entries, with Older to page back.',
  usage: 'audit [action]',
  examples: ['audit', 'audit onboard.apply'],
  async run(ctx) {
    const action = ctx.args.trim();
    if (action.length > 100)
      throw new UserInputError('That action name is too long.', 'Try **audit** or **audit onboard.apply**.');
    await ctx.reply({ card: await auditCard(ctx.services, action ? { action } : {}) });
  },
};

/** **Older** / **Newest** on the audit card: another page, the card replaced in place. */
export const auditPageAction: CardAction<Services> = {
  verb: 'audit.page',
  audience: 'admin',
  // The template sends strings ('' when absent); entry ids are positive integers.
  schema: z.object({
    beforeId: z.union([z.number().int().positive(), z.string().regex(/^\d{0,15}$/)]).optional(),
    action: z.string().max(100).optional(),
  }),
  async run(ctx) {
    const raw = ctx.data.beforeId;
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : undefined;
    const beforeId = n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
    const action =
      typeof ctx.data.action === 'string' && ctx.data.action !== ''
        ? ctx.data.action.slice(0, 100)
        : undefined;
    return {
      card: await auditCard(ctx.services, {
        ...(beforeId ? { beforeId } : {}),
        ...(action ? { action } : {}),
      }),
    };
  },
};
