import { z } from 'zod';
import type { CardAction } from './commandTypes';
import { contactIt, contactItResultCard, type ContactItDeps } from './contactIt';

/** The "Contact IT" button: same as the phrase; the answer comes as a new message, the card stays. */
export function contactItAction(deps: ContactItDeps): CardAction {
  return {
    verb: 'contact.it',
    audience: 'everyone',
    // Nothing is read from the data: who asks comes from the activity.
    schema: z.object({}),
    async run(ctx) {
      const result = await contactIt(ctx.caller, ctx.conversation, deps, ctx.now(), ctx.log);
      await ctx.reply({ card: contactItResultCard(result) });
      return { message: result.title };
    },
  };
}
