import { renderCard } from '../cards/renderCard';
import { troubleshootCardModel } from '../cards/troubleshootCardModel';
import { adviceContext, callerMacsFor, type EndUserDeps } from './callerAnswers';
import type { Command } from './commandTypes';
import { matchIntent, TROUBLESHOOTING_TOPICS, type TroubleshootingTopic } from './matchIntent';

const isTopic = (s: string | null | undefined): s is TroubleshootingTopic =>
  (TROUBLESHOOTING_TOPICS as readonly string[]).includes(s ?? '');

/**
 * Registration help in the caller's own words ("AccountNotOnboarded", "my Mac shows N/A",
 * "company portal", "gatherAADInfo", "still not compliant after an hour", …): the seed's
 * troubleshooting, after checking for this person what the bot can check.
 */
export function troubleshootCommand(deps: EndUserDeps): Command {
  return {
    name: 'registration help',
    aliases: ['troubleshoot'],
    audience: 'everyone',
    personalOnly: true,
    intents: TROUBLESHOOTING_TOPICS,
    summary:
      'Help registering your Mac, or with an error: describe it in your own words (AccountNotOnboarded, N/A, …).',
    usage: 'registration help',
    examples: ['I get AccountNotOnboarded', 'my Mac still shows N/A after an hour'],
    async run(ctx) {
      const fromArgs = matchIntent(ctx.args);
      const topic: TroubleshootingTopic = isTopic(ctx.intent)
        ? ctx.intent
        : isTopic(fromArgs)
          ? fromArgs
          : 'register';
      const now = ctx.now();
      const caller = await callerMacsFor(ctx.caller, ctx.conversation, deps, now);
      await ctx.reply({
        card: renderCard(
          'troubleshootCard',
          troubleshootCardModel(topic, caller, adviceContext(deps, now, ctx.caller)),
        ),
      });
    },
  };
}
