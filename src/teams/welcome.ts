import type { TurnContext } from 'botbuilder';
import { ENGLISH, translatorFor, type Translator } from '../cards/i18n/translator';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import { welcomeCardModel } from '../cards/welcomeCardModel';
import type { Logger } from '../log';
import type { WelcomeStore } from '../store/ports/welcomeStore';
import type { AccessPolicy } from './accessPolicy';
import { callerOf, conversationOf } from './activityInfo';
import { sendError } from './pipeline/errorSink';
import { identify } from './pipeline/identifyCaller';
import { readerOf } from './pipeline/readerOf';
import { turnLogger } from './pipeline/turnLogger';
import { replyHelpers } from './replyHelpers';

export interface WelcomeDeps {
  access: AccessPolicy;
  logger: Logger;
  now: () => Date;
  /** Who was welcomed already: each person gets the welcome card once. */
  welcomes?: WelcomeStore;
  /** What the welcome card tells people (`config.endUsers`). */
  welcome?: { deadline: string | null; selfServicePolicyName: string };
}

/** The short hello in a team or group chat, in the language of whoever added the bot. */
export function helloCard(isAdmin: boolean, tr: Translator = ENGLISH): AdaptiveCard {
  return renderCard('notice', {
    style: 'accent',
    title: tr.t('welcome.helloTitle'),
    text: isAdmin ? tr.t('welcome.helloAdmin') : tr.t('welcome.helloUser'),
  });
}

/**
 * In a 1:1 chat: the welcome card, once per person (the store's claim makes two racing install
 * events send one; a failed send releases it). In a team or group chat: a short hello.
 */
export async function greet(deps: WelcomeDeps, context: TurnContext): Promise<void> {
  const log = turnLogger(deps.logger, context);
  const helpers = replyHelpers(context);
  let claimed: string | null = null;
  let reader: Translator = ENGLISH;
  try {
    const caller = await identify(deps.access, context.activity, log);
    if (!caller) return;
    const tr = translatorFor(caller);
    reader = readerOf(caller);
    if (conversationOf(context.activity).scope !== 'personal') {
      await helpers.reply({ card: helloCard(caller.isAdmin, tr) });
      return;
    }
    const key = caller.aadObjectId ?? caller.teamsUserId;
    const { welcomes } = deps;
    if (welcomes) {
      if (!key || !(await welcomes.claimWelcome(key, deps.now().toISOString()))) {
        log.info('already welcomed: no second welcome');
        return;
      }
      claimed = key;
    }
    const settings = deps.welcome ?? {
      deadline: null,
      selfServicePolicyName: 'Register with Microsoft Entra ID',
    };
    await helpers.reply({
      card: renderCard(
        'welcome',
        welcomeCardModel({
          givenName: caller.name?.trim().split(/\s+/)[0] ?? null,
          deadline: settings.deadline,
          selfServicePolicyName: settings.selfServicePolicyName,
          isAdmin: caller.isAdmin,
          t: tr,
        }),
      ),
    });
    log.info('welcomed');
  } catch (e) {
    if (claimed) await deps.welcomes?.forgetWelcome(claimed).catch(() => undefined);
    await sendError(context, log, e, reader);
  }
}

/** The app was removed from a 1:1 chat: a reinstall is a new start and gets the welcome again. */
export async function forgetWelcome(deps: WelcomeDeps, context: TurnContext): Promise<void> {
  const caller = callerOf(context.activity);
  if (conversationOf(context.activity).scope !== 'personal' || !deps.access.tenantAllowed(caller.tenantId))
    return;
  const key = caller.aadObjectId ?? caller.teamsUserId;
  if (key)
    await deps.welcomes
      ?.forgetWelcome(key)
      .catch((err: unknown) => turnLogger(deps.logger, context).error({ err }, 'could not forget a welcome'));
}
