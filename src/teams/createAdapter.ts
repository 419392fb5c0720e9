import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
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
    private readonly logger: Logger,
  ) {
    super(settings, credentials);
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      if (!result.connectorFactory) return result;
      return {
        ...result,
        connectorFactory: this.connectorClients.wrap(
          result.connectorFactory,
          JwtTokenValidation.getAppIdFromClaims(result.claimsIdentity.claims) ?? '',
        ),
      };
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      const reason = e instanceof Error ? e.message : String(e);
      this.logger.warn({ reason, serviceUrl: activity.serviceUrl }, 'refused: Bot Framework token not valid');
      if (e instanceof AuthenticationError) throw e;
      if (JWT_ERRORS.has(name))
        throw new AuthenticationError(`Unauthorized. ${reason}`, StatusCodes.UNAUTHORIZED);
      throw e;
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
  const auth = new StrictBotFrameworkAuthentication(settings, custom, logger);
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
