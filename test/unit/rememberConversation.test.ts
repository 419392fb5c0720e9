import type { Activity } from 'botbuilder';
import { RecentConversations, rememberConversation } from '../../src/teams/rememberConversation';
import { messageActivity } from '../helpers/activities';

type Saved = Parameters<Parameters<typeof rememberConversation>[1]['saveConversation']>[0];

describe('rememberConversation with RecentConversations', () => {
  const serviceUrl = 'https://smba.trafficmanager.net/amer/';
  let saved: Saved[];
  const store = { saveConversation: async (c: Saved) => void saved.push(c) };
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 26, 9, minutes));
  const message = (opts: { scope?: 'channel'; serviceUrl?: string } = {}) =>
    messageActivity('help', {
      serviceUrl: opts.serviceUrl ?? serviceUrl,
      scope: opts.scope,
    }) as unknown as Partial<Activity>;
  beforeEach(() => {
    saved = [];
  });

  it('stores every turn without a memory (as before)', async () => {
    await rememberConversation(message(), store, at(0));
    await rememberConversation(message(), store, at(1));
    expect(saved).toHaveLength(2);
  });

  it('stores an unchanged reference once, then again when last_seen is 5 minutes old', async () => {
    const recent = new RecentConversations();
    for (const m of [0, 1, 2, 4]) await rememberConversation(message(), store, at(m), recent);
    expect(saved.map((s) => s.seenAt)).toEqual([at(0).toISOString()]);
    await rememberConversation(message(), store, at(5), recent);
    expect(saved.map((s) => s.seenAt)).toEqual([at(0).toISOString(), at(5).toISOString()]);
  });

  it('stores at once when the reference changes (a new service URL)', async () => {
    const recent = new RecentConversations();
    await rememberConversation(message(), store, at(0), recent);
    await rememberConversation(
      message({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }),
      store,
      at(1),
      recent,
    );
    expect(saved.map((s) => s.reference.serviceUrl)).toEqual([
      serviceUrl,
      'https://smba.trafficmanager.net/emea/',
    ]);
  });

  it('treats every thread of a channel as the channel (message ids do not count as changes)', async () => {
    const recent = new RecentConversations();
    await rememberConversation(message({ scope: 'channel' }), store, at(0), recent);
    await new Promise((r) => setTimeout(r, 2)); // a later thread: another messageid in the conversation id
    await rememberConversation(message({ scope: 'channel' }), store, at(1), recent);
    expect(saved).toHaveLength(1);
    expect(saved[0]?.conversationId).not.toContain(';messageid=');
  });

  it('keeps a personal chat’s locale and time zone (a change is stored at once), never a channel’s', async () => {
    const recent = new RecentConversations();
    const client = (locale: string, tz: string) =>
      ({ ...message(), locale, localTimezone: tz }) as unknown as Partial<Activity>;
    await rememberConversation(client('de-DE', 'Europe/Berlin'), store, at(0), recent);
    await rememberConversation(client('de-DE', 'Europe/Berlin'), store, at(1), recent);
    await rememberConversation(client('ja-JP', 'Asia/Tokyo'), store, at(2), recent);
    expect(saved.map((s) => [s.locale, s.timeZone])).toEqual([
      ['de-DE', 'Europe/Berlin'],
      ['ja-JP', 'Asia/Tokyo'],
    ]);
    const channel = { ...message({ scope: 'channel' }), locale: 'fr-FR' } as unknown as Partial<Activity>;
    await rememberConversation(channel, store, at(3));
    expect(saved.at(-1)).not.toHaveProperty('locale');
  });

  it('ignores what is not a locale or a time zone', async () => {
    await rememberConversation(
      { ...message(), locale: 'x'.repeat(200), localTimezone: '../../etc' } as unknown as Partial<Activity>,
      store,
      at(0),
    );
    expect(saved[0]).not.toHaveProperty('locale');
    expect(saved[0]).not.toHaveProperty('timeZone');
  });

  it('does not remember a reference the store failed to save', async () => {
    const recent = new RecentConversations();
    const failing = { saveConversation: async () => Promise.reject(new Error('disk full')) };
    await expect(rememberConversation(message(), failing, at(0), recent)).rejects.toThrow('disk full');
    await rememberConversation(message(), store, at(1), recent);
    expect(saved).toHaveLength(1);
  });

  it('stays bounded: the oldest conversation is forgotten first', async () => {
    const recent = new RecentConversations(60_000, 2);
    recent.saved('a', 'x', at(0));
    recent.saved('b', 'x', at(0));
    recent.saved('c', 'x', at(0));
    expect(['a', 'b', 'c'].map((id) => recent.isFresh(id, 'x', at(0)))).toEqual([false, true, true]);
  });
});
