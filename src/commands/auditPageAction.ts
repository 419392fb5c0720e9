import { z } from 'zod';
import { auditCard, type AuditLogDeps } from './auditCard';
import type { CardAction } from './commandTypes';

/** **Older** / **Newest** on the audit card: another page, the card replaced in place. */
export function auditPageAction(deps: AuditLogDeps): CardAction {
  return {
    verb: 'audit.page',
    audience: 'admin',
    // The template sends strings ('' when absent); entry ids are positive integers.
    schema: z.object({
      beforeId: z.union([z.number().int().positive(), z.string().regex(/^\d{0,15}$/)]).optional(),
      action: z.string().max(100).optional(),
    }),
    async run(ctx) {
      const raw = ctx.data.beforeId;
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : undefined;
      const beforeId = n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
      const action =
        typeof ctx.data.action === 'string' && ctx.data.action !== ''
          ? ctx.data.action.slice(0, 100)
          : undefined;
      return {
        card: await auditCard(deps, {
          ...(beforeId ? { beforeId } : {}),
          ...(action ? { action } : {}),
        }),
      };
    },
  };
}
