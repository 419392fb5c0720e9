import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { errorCard } from '../cards/errorCard';
import { cardAttachment } from '../cards/renderCard';
import type { AppConfig } from '../config';
import type { Logger } from '../log';

/**
 * botbuilder's CloudAdapter with the app's Bot Framework credentials. With an app id every
 * request's JWT is validated; without one (local mode) botbuilder skips the check — which is why
 * the server then listens on loopback only (src/config.ts).
 */
export function createAdapter(bot: AppConfig['bot'], logger: Logger): CloudAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    // botbuilder insists on an app id for SingleTenant; local mode has none.
    MicrosoftAppType: bot.localMode ? 'MultiTenant' : bot.appType,
    MicrosoftAppTenantId: bot.appTenantId,
    ...bot.authOverrides,
  });
  const adapter = new CloudAdapter(auth);
  // Last resort for errors outside a handler's own try/catch (the bot's sink handles the rest).
  adapter.onTurnError = async (context, error) => {
    const reference = Math.random().toString(16).slice(2, 10);
    logger.error({ reference, err: error, activityId: context.activity?.id }, 'unhandled error in turn');
    try {
      if (context.activity?.type === 'message') {
        await context.sendActivity({ attachments: [cardAttachment(errorCard(error, reference))] });
      }
    } catch (e) {
      logger.error({ reference, err: e }, 'could not send the error card');
    }
  };
  return adapter;
}
