import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { errorCard } from '../../cards/errorCard';
import { ENGLISH, type Translator } from '../../cards/i18n/translator';
import { StoreUnavailableError, UpstreamError, UserInputError } from '../../errors';
import type { Logger } from '../../log';
import { replyHelpers } from '../replyHelpers';
import { messageResponse } from './invokeResponses';
import type { Step } from './runChain';
import { readerOf } from './readerOf';
import type { Turn } from './turn';

/**
 * The one error sink: log with a reference, answer with the friendly card. Sent with fresh reply
 * helpers, so the card goes out even when the command's own (deadline-guarded) ones went quiet.
 * `tr` is the reader's language (`readerOf`): English unless an end user was identified.
 */
export async function sendError(
  context: TurnContext,
  log: Logger,
  e: unknown,
  tr: Translator = ENGLISH,
): Promise<void> {
  const reference = randomUUID().slice(0, 8);
  if (e instanceof UpstreamError) {
    log.warn(
      { reference, service: e.service, code: e.code, status: e.status, request: e.request },
      e.message,
    );
  } else if (e instanceof StoreUnavailableError) {
    // An outage, not a bug: one line with the reason (StoreHealth logged when it began), no stack.
    log.warn({ reference, reason: e.reason }, `command not served: ${e.message}`);
  } else if (e instanceof UserInputError) {
    log.info({ reference }, `input refused: ${e.message}`);
  } else {
    log.error({ reference, err: e }, 'command failed');
  }
  try {
    await replyHelpers(context).reply({ card: errorCard(e, reference, tr) });
  } catch (sendFailure) {
    log.error({ reference, err: sendFailure }, 'could not send the error card');
  }
}

/** The outermost step: whatever any later step throws ends here; a card action also gets a short message. */
export const errorSink: Step<Turn> = async (turn, next) => {
  try {
    await next();
  } catch (e) {
    await sendError(turn.context, turn.log, e, readerOf(turn.caller));
    if (turn.kind === 'action') turn.result = messageResponse('That did not work — see the message below.');
  }
};
