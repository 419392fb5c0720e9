import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { errorCard, errorHeadline } from '../../cards/errorCard';
import { ENGLISH, type Translator } from '../../cards/i18n/translator';
import { StoreUnavailableError, UpstreamError, UserInputError } from '../../errors';
import type { Logger } from '../../log';
import { replyHelpers } from '../replyHelpers';
import { messageResponse } from './invokeResponses';
import type { Step } from './runChain';
import { readerOf } from './readerOf';
import { extensionMessage, type AnyTurn } from './turn';

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
  const reference = logFailure(log, e);
  try {
    await replyHelpers(context).reply({ card: errorCard(e, reference, tr) });
  } catch (sendFailure) {
    log.error({ reference, err: sendFailure }, 'could not send the error card');
  }
}

/** Logs a failure as its kind deserves (an upstream's, bad input, a bug), under a new reference. */
function logFailure(log: Logger, e: unknown): string {
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
  return reference;
}

/**
 * The outermost step: whatever any later step throws ends here; a card action also gets a short
 * message. A compose-box invoke has no chat to post the card in: its answer is the error's
 * headline with the reference.
 */
export const errorSink: Step<AnyTurn> = async (turn, next) => {
  try {
    await next();
  } catch (e) {
    if (turn.kind === 'extension') {
      const reference = logFailure(turn.log, e);
      turn.result = extensionMessage(`${errorHeadline(e)} (reference ${reference})`);
      return;
    }
    await sendError(turn.context, turn.log, e, readerOf(turn.caller));
    if (turn.kind === 'action') turn.result = messageResponse('That did not work — see the message below.');
  }
};
