import type { Command } from './commandTypes';
import { contactIt, contactItResultCard, type ContactItDeps } from './contactIt';

/** `contact IT` (and "talk to someone", "help desk", …): escalate to the admin channel. */
export function contactItCommand(deps: ContactItDeps): Command {
  return {
    name: 'contact it',
    aliases: ['contact support'],
    audience: 'everyone',
    personalOnly: true,
    intents: ['contact_it'],
    summary: 'Sends IT your request for help, with your Mac’s details (once a day).',
    usage: 'contact IT',
    examples: ['contact IT'],
    async run(ctx) {
      // Asked in their own words ("my Mac still says N/A, can someone help"): IT reads them too.
      const note = ctx.intent ? ctx.text : ctx.args;
      const result = await contactIt(ctx.caller, ctx.conversation, deps, ctx.now(), ctx.log, note);
      await ctx.reply({ card: contactItResultCard(result) });
    },
  };
}
