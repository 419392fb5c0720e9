import http from 'node:http';
import https from 'node:https';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { createDemoTls, type DemoTls } from '../../demo/demoTls';

/** The issuer Bot Framework channel tokens carry (botbuilder's default). */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface BotFrameworkStandIn {
  /** `ToBotFromChannelOpenIdMetadataUrl` (plain HTTP: botbuilder fetches it with node-fetch and the global agent). */
  openIdMetadataUrl: string;
  /** `ToBotFromEmulatorOpenIdMetadataUrl`, so an emulator-shaped token never reaches Microsoft. */
  emulatorMetadataUrl: string;
  /** `ToChannelFromBotLoginUrl`: an HTTPS authority msal-node accepts (with `tls.caCert` trusted). */
  loginUrl: string;
  tls: DemoTls;
  /** The key the metadata publishes (kid `test-key-1`). */
  privateKey: KeyObject;
  kid: string;
  /** Signs a channel token: RS256 with the published key unless told otherwise. */
  sign(
    claims: Record<string, unknown>,
    opts?: { key?: KeyObject; kid?: string; algorithm?: jwt.Algorithm },
  ): string;
  /**
   * Access tokens issued to the bot for its outgoing calls: JWTs signed with `privateKey`, `aud`
   * the scope asked for without `/.default` (Bot Framework: `https://api.botframework.com`), as
   * Entra issues them — what a strict Bot Connector stand-in checks (`expectToken`).
   */
  issued: string[];
  /** The key tokens are signed with, for the connector stand-in to check them. */
  publicKey: KeyObject;
  /** Issue the next tokens for this audience instead (a misconfigured scope), or null: as asked. */
  issueAudience: string | null;
  /** Requests the stand-ins received (method + path). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A local stand-in for the Bot Framework's identity endpoints: the OpenID metadata and key set
 * incoming tokens are checked against, and an Entra-like token endpoint where the bot gets its
 * own token for replies. Keys are generated here with node:crypto; nothing leaves 127.0.0.1.
 */
export async function startBotFrameworkStandIn(): Promise<BotFrameworkStandIn> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', endorsements: ['msteams'] };
  const requests: string[] = [];
  const issued: string[] = [];

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  let metadataBase = '';
  const metadata = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (
      req.url === '/v1/.well-known/openidconfiguration' ||
      req.url === '/emulator/.well-known/openid-configuration'
    ) {
      json(res, 200, {
        issuer: CHANNEL_ISSUER,
        authorization_endpoint: `${metadataBase}/authorize`,
        jwks_uri: `${metadataBase}/v1/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    } else if (req.url === '/v1/keys') {
      json(res, 200, { keys: [jwk] });
    } else json(res, 404, { error: 'not found' });
  });
  await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', () => r()));
  metadataBase = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;

  const tls = await createDemoTls();
  let loginBase = '';
  const login = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const base = `${loginBase}/botframework.com`;
      if (
        req.method === 'GET' &&
        req.url?.startsWith('/botframework.com/v2.0/.well-known/openid-configuration')
      ) {
        json(res, 200, {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          issuer: `${base}/v2.0`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          response_modes_supported: ['query'],
          token_endpoint_auth_methods_supported: ['client_secret_post'],
        });
      } else if (req.method === 'POST' && req.url?.startsWith('/botframework.com/oauth2/v2.0/token')) {
        const form = new URLSearchParams(body);
        const scope = form.get('scope') ?? '';
        const now = Math.floor(Date.now() / 1000);
        const token = jwt.sign(
          {
            aud: standIn.issueAudience ?? scope.replace(/\/\.default$/, ''),
            iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
            appid: form.get('client_id'),
            iat: now,
            nbf: now,
            exp: now + 3600,
            jti: randomUUID(),
          },
          privateKey,
          { algorithm: 'RS256', keyid: kid, noTimestamp: true },
        );
        issued.push(token);
        json(res, 200, {
          token_type: 'Bearer',
          expires_in: 3600,
          ext_expires_in: 3600,
          access_token: token,
          scope: form.get('scope'),
        });
      } else json(res, 404, { error: 'not_found' });
    });
  });
  await new Promise<void>((r) => login.listen(0, '127.0.0.1', () => r()));
  loginBase = `https://127.0.0.1:${(login.address() as AddressInfo).port}`;

  const standIn: BotFrameworkStandIn = {
    openIdMetadataUrl: `${metadataBase}/v1/.well-known/openidconfiguration`,
    emulatorMetadataUrl: `${metadataBase}/emulator/.well-known/openid-configuration`,
    loginUrl: `${loginBase}/botframework.com`,
    tls,
    privateKey,
    kid,
    issued,
    publicKey,
    issueAudience: null,
    requests,
    sign: (claims, opts = {}) =>
      jwt.sign(claims, opts.key ?? privateKey, {
        algorithm: opts.algorithm ?? 'RS256',
        keyid: opts.kid ?? kid,
        noTimestamp: 'iat' in claims,
      }),
    close: async () => {
      for (const s of [metadata, login]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
  return standIn;
}

/** The bot's `BOTFRAMEWORK_*` settings pointing botbuilder at the stand-in (incoming keys, issuer, login URL). */
export function standInSettings(standIn: BotFrameworkStandIn): Record<string, string> {
  return {
    BOTFRAMEWORK_OPENID_METADATA_URL: standIn.openIdMetadataUrl,
    BOTFRAMEWORK_EMULATOR_OPENID_METADATA_URL: standIn.emulatorMetadataUrl,
    BOTFRAMEWORK_TOKEN_ISSUER: CHANNEL_ISSUER,
    BOTFRAMEWORK_LOGIN_URL: standIn.loginUrl,
  };
}
