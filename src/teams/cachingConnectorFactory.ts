import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';

/** The clients kept: one per bot app id, service URL and audience — a handful in practice. */
const MAX_CLIENTS = 100;

/**
 * botbuilder builds a new `ConnectorClient` — credentials, an Azure HTTP pipeline of a dozen
 * policies, a log sanitizer — for every turn, then sends one or two activities with it. The
 * client holds nothing per turn (its credentials cache the bot's token), so one is kept per
 * app id, service URL and audience and handed to every turn that needs the same; a client whose
 * creation failed is not kept. Bounded: the oldest goes first.
 */
export class ConnectorClientCache {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  /** `factory` as botbuilder made it for this turn's identity (`appId` of that identity). */
  wrap(factory: ConnectorFactory, appId: string): ConnectorFactory {
    return new CachingConnectorFactory(this, factory, appId);
  }

  get(key: string, create: () => Promise<ConnectorClient>): Promise<ConnectorClient> {
    let client = this.clients.get(key);
    if (client === undefined) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
      client = create();
      this.clients.set(key, client);
      client.catch(() => {
        if (this.clients.get(key) === client) this.clients.delete(key);
      });
    }
    return client;
  }
}

class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly cache: ConnectorClientCache,
    private readonly inner: ConnectorFactory,
    private readonly appId: string,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([this.appId, serviceUrl, audience ?? null]);
    return this.cache.get(key, () => this.inner.create(serviceUrl, audience));
  }
}
