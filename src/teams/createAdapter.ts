import { AsyncLocalStorage } from 'node:async_hooks';
import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
// botbuilder's own auth package (a dependency of botbuilder, same version): CloudAdapter answers
// 401 only for *its* AuthenticationError class.
import {
  AuthenticationConstants,
  AuthenticationError,
  JwtTokenValidation,
  MsalServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { errorCard } from '../cards/errorCard';
import { cardAttachment } from '../cards/renderCard';
import type { AppConfig } from '../config';
import type { Logger } from '../log';
import { createTrustingFetch } from '../upstream/graph/createTrustingFetch';
import { createMsalNetworkClient } from '../upstream/graph/msalNetworkClient';
import { ConnectorClientCache } from './cachingConnectorFactory';

/** The public cloud's values, for the settings a partial override leaves out. */
const PUBLIC_CLOUD: Record<string, string> = {
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  CallerId: 'urn:botframework:azure',
  ValidateAuthority: 'true',
};

/** Hosts msal-node knows without instance discovery. */
const MICROSOFT_LOGIN_HOSTS =
  /(^|\.)(login\.microsoftonline\.(com|us)|login\.partner\.microsoftonline\.cn)$/i;

/** jsonwebtoken's verdicts on a bad token (bad signature, `nbf` in the future, malformed …). */
const JWT_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** Set while botbuilder checks a request's token (`StrictBotFrameworkAuthentication`). */
const checkingToken = new AsyncLocalStorage<true>();

/** Marks the console.error that already drops botbuilder's token-check output. */
const QUIET = Symbol.for('jamf-compliance-bot.quietTokenChecks');

/**
 * botframework-connector's token check `console.error`s every token it refuses (an expired one
 * with its stack, a bad signature with the published key) before it throws. The refusal is
 * logged once, by `QuietCloudAdapter`, with the reason; so `console.error` calls made *within*
 * a token check (tracked through its awaits by AsyncLocalStorage) are dropped. Every other
 * `console.error` of the process passes through unchanged.
 */
function quietTokenChecks(): void {
  type ConsoleError = typeof console.error & { [QUIET]?: true };
  if ((console.error as ConsoleError)[QUIET]) return;
  const passThrough = console.error;
  const quiet: ConsoleError = (...args: unknown[]) => {
    if (checkingToken.getStore()) return;
    passThrough.apply(console, args);
  };
  quiet[QUIET] = true;
  console.error = quiet;
}

/**
 * botbuilder's configuration auth, with two fixes found while testing it against a stand-in:
 * jsonwebtoken's own errors (wrong key, not yet valid, malformed) escape botbuilder as plain
 * errors, which CloudAdapter answers with 500; here every refused token is a 401. And the
 * Bot Connector clients that answer incoming activities are reused across turns instead of
 * built for each (`ConnectorClientCache`). Proactive sends (`createConnectorFactory`, used by
 * `continueConversationAsync`) keep botbuilder's client per call: the reminder transport takes
 * the retry policy out of the client it is handed, and replies must keep theirs.
 */
class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new ConnectorClientCache();

  constructor(
    settings: ConfigurationBotFrameworkAuthenticationOptions,
    credentials: ServiceClientCredentialsFactory | undefined,
  ) {
    super(settings, credentials);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      const result = await checkingToken.run(true, () => super.authenticateRequest(activity, authHeader));
      if (!result.connectorFactory) return result;
      return {
        ...result,
        connectorFactory: this.connectorClients.wrap(
          result.connectorFactory,
          JwtTokenValidation.getAppIdFromClaims(result.claimsIdentity.claims) ?? '',
        ),
      };
    } catch (e) {
      // Logged once, by the adapter (`QuietCloudAdapter`), with the status it answers.
      if (e instanceof Error && JWT_ERRORS.has(e.name))
        throw new AuthenticationError(`Unauthorized. ${e.message}`, StatusCodes.UNAUTHORIZED);
      throw e;
    }
  }
}

/**
 * CloudAdapter answers a refused request (no token, a token not valid) by `console.error`-ing
 * the error, stack and all, before its 401 — a page of stack for every scan of a public
 * endpoint. Here a refusal is one `warn` line of the bot's own log, `refused /api/messages:
 * <reason>` with the status, and the caller gets the status with a short body (the reason
 * stays in the log). Any other failure outside the turn (the turn's own errors go to
 * `onTurnError`) is one `error` line and a 500.
 */
class QuietCloudAdapter extends CloudAdapter {
  constructor(
    auth: StrictBotFrameworkAuthentication,
    private readonly logger: Logger,
  ) {
    super(auth);
  }

  protected override async processActivity(
    auth: string | AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    try {
      return await (typeof auth === 'string'
        ? super.processActivity(auth, activity, logic)
        : super.processActivity(auth, activity, logic));
    } catch (e) {
      if (e instanceof AuthenticationError) {
        const status = e.statusCode ?? StatusCodes.UNAUTHORIZED;
        // The reason can quote the caller's claims: capped, and JSON-escaped by the logger.
        const reason = e.message.slice(0, 300);
        const where = { status, serviceUrl: activity.serviceUrl };
        if (status >= 500) {
          // botbuilder could not check the token (the OpenID keys did not load): ours to fix.
          this.logger.error(where, `could not check the token of /api/messages: ${reason}`);
          return { status, body: { error: 'The bot could not check the request’s token; try again.' } };
        }
        this.logger.warn(where, `refused /api/messages: ${reason}`);
        return { status, body: { error: 'Unauthorized: no valid Bot Framework token.' } };
      }
      this.logger.error({ err: e, activityId: activity.id }, 'activity processing failed');
      return {
        status: StatusCodes.INTERNAL_SERVER_ERROR,
        body: { error: 'The bot could not process the activity.' },
      };
    }
  }
}

/**
 * With a custom login URL (a sovereign cloud's proxy, a test stand-in) botbuilder's default msal
 * app would ask login.microsoftonline.com to "discover" the authority. This one declares it
 * known and trusts `authCa`, so the bot's own token comes from where the config says.
 */
function customLoginCredentials(bot: AppConfig['bot'], loginUrl: string): ServiceClientCredentialsFactory {
  const trusting = createTrustingFetch(bot.authCa);
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: bot.appId,
      clientSecret: bot.appPassword,
      authority: loginUrl,
      knownAuthorities: [new URL(loginUrl).host],
    },
    system: { networkClient: createMsalNetworkClient(trusting.fetch, 10_000, {}) },
  });
  // botframework-connector types its own (older) msal-node; it only calls
  // acquireTokenByClientCredential, which both versions share.
  type ConnectorMsalApp = ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  return new MsalServiceClientCredentialsFactory(bot.appId, app as unknown as ConnectorMsalApp);
}

/** The settings botbuilder gets: credentials, and the endpoints (all of them once any is overridden). */
export function botAuthSettings(bot: AppConfig['bot']): ConfigurationBotFrameworkAuthenticationOptions {
  const overrides = Object.keys(bot.authOverrides).length ? { ...PUBLIC_CLOUD, ...bot.authOverrides } : {};
  return {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    // botbuilder insists on an app id for SingleTenant; local mode has none.
    MicrosoftAppType: bot.localMode ? 'MultiTenant' : bot.appType,
    MicrosoftAppTenantId: bot.appTenantId,
    ...overrides,
  };
}

/**
 * botbuilder's CloudAdapter with the app's Bot Framework credentials. With an app id every
 * request's JWT is validated (signature against the OpenID metadata's keys, issuer, audience =
 * app id, expiry, service URL claim); without one (local mode) botbuilder skips the check —
 * which is why the server then listens on loopback only (src/config.ts).
 */
export function createAdapter(bot: AppConfig['bot'], logger: Logger): CloudAdapter {
  const settings = botAuthSettings(bot);
  const loginUrl = bot.authOverrides.ToChannelFromBotLoginUrl;
  const custom =
    !bot.localMode &&
    bot.appPassword !== '' &&
    loginUrl &&
    !MICROSOFT_LOGIN_HOSTS.test(new URL(loginUrl).hostname)
      ? customLoginCredentials(bot, loginUrl)
      : undefined;
  quietTokenChecks();
  const auth = new StrictBotFrameworkAuthentication(settings, custom);
  const adapter = new QuietCloudAdapter(auth, logger);
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
