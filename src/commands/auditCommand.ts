import { UserInputError } from '../errors';
import { auditCard, type AuditLogDeps } from './auditCard';
import type { Command } from './commandTypes';

/** `audit [action]`: the newest audit entries (optionally of one action, e.g. `onboard.apply`). */
export function auditCommand(deps: AuditLogDeps): Command {
  return {
    name: 'audit',
    menuWhenRoom: true,
    aliases: ['audit log'],
    audience: 'admin',
    summary: 'Who did what and when: the newest audit log entries, with Older to page back.',
    usage: 'audit [action]',
    examples: ['audit', 'audit onboard.apply'],
    async run(ctx) {
      const action = ctx.args.trim();
      if (action.length > 100)
        throw new UserInputError(
          'That action name is too long.',
          'Try **audit** or **audit onboard.apply**.',
        );
      await ctx.reply({ card: await auditCard(deps, action ? { action } : {}) });
    },
  };
}
