import { renderCard } from '../cards/renderCard';
import { statusCardModel } from '../cards/statusCardModel';
import { adviceContext, callerMacsFor, type EndUserDeps } from './callerAnswers';
import type { Command } from './commandTypes';

/**
 * `status` (and "am I compliant?", "my mac", "check my device", …): the caller's own Macs with a
 * plain verdict and the steps to fix each. Whatever follows `status` is never looked up — the
 * caller is who Teams says they are — and the card says it was ignored.
 */
export function statusCommand(deps: EndUserDeps): Command {
  return {
    name: 'status',
    aliases: ['my status'],
    audience: 'everyone',
    personalOnly: true,
    intents: ['status'],
    summary: 'Whether your Mac is compliant, and what to do if it is not.',
    usage: 'status',
    examples: ['status', 'is my Mac OK?'],
    async run(ctx) {
      const now = ctx.now();
      const caller = await callerMacsFor(ctx.caller, ctx.conversation, deps, now);
      const ignored = ctx.args.replace(/^[\s?!.]+|[\s?!.]+$/g, '');
      await ctx.reply({
        card: renderCard(
          'statusCard',
          statusCardModel(caller, {
            ...adviceContext(deps, now, ctx.caller),
            ignored: ignored || undefined,
            isAdmin: ctx.caller.isAdmin,
          }),
        ),
      });
    },
  };
}
