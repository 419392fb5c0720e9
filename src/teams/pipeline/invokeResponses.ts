import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/renderCard';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** An `adaptiveCard/action` answer that replaces the pressed card. */
export function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD, value: card };
}

/** An `adaptiveCard/action` answer that Teams shows as a short message under the card. */
export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  // Universal Actions allow a plain string here; botbuilder's type says object.
  return { statusCode: 200, type: MESSAGE, value: text as unknown as Record<string, unknown> };
}

/** An `adaptiveCard/action` refusal with an HTTP status (403 for a foreign tenant, 400 for no action). */
export function errorResponse(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
