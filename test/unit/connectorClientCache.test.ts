import { ConnectorFactory, type ConnectorClient } from 'botframework-connector';
import { ConnectorClientCache } from '../../src/teams/cachingConnectorFactory';

/** botbuilder's factory as the adapter gets it: a new client per call. */
class CountingFactory extends ConnectorFactory {
  created: { serviceUrl: string; audience?: string }[] = [];
  failNext = false;

  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    this.created.push({ serviceUrl, audience });
    if (this.failNext) {
      this.failNext = false;
      throw new Error('no credentials');
    }
    return { serviceUrl, n: this.created.length } as unknown as ConnectorClient;
  }
}

describe('ConnectorClientCache', () => {
  const amer = 'https://smba.trafficmanager.net/amer/';
  const emea = 'https://smba.trafficmanager.net/emea/';

  it('hands every turn of the same bot, service URL and audience the same client', async () => {
    const cache = new ConnectorClientCache();
    const inner = new CountingFactory();
    const turns = await Promise.all(
      Array.from({ length: 10 }, () =>
        cache.wrap(inner, 'bot-app-id').create(amer, 'https://api.botframework.com'),
      ),
    );
    expect(new Set(turns).size).toBe(1);
    expect(inner.created).toHaveLength(1);
  });

  it('keeps separate clients per service URL, audience and bot app id', async () => {
    const cache = new ConnectorClientCache();
    const inner = new CountingFactory();
    await cache.wrap(inner, 'a').create(amer);
    await cache.wrap(inner, 'a').create(emea);
    await cache.wrap(inner, 'a').create(amer, 'https://api.botframework.us');
    await cache.wrap(inner, 'b').create(amer);
    await cache.wrap(inner, 'a').create(amer);
    expect(inner.created).toHaveLength(4);
  });

  it('does not keep a client whose creation failed', async () => {
    const cache = new ConnectorClientCache();
    const inner = new CountingFactory();
    inner.failNext = true;
    await expect(cache.wrap(inner, 'a').create(amer)).rejects.toThrow('no credentials');
    await expect(cache.wrap(inner, 'a').create(amer)).resolves.toBeDefined();
    expect(inner.created).toHaveLength(2);
  });
});
