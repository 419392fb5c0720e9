import { TeamsAppInstallations } from '../../demo/teamsAppInstallations';
import type { ProactiveInstaller } from '../../src/broadcasts/proactiveInstaller';
import {
  isReminderOf,
  newCampaign,
  recipients,
  startDispatcherRig,
  type DispatcherRig,
} from '../helpers/dispatcherRig';

const BOT = '9b2f6c1e-0d3a-4f7b-8c5e-2a1d4b6c8e0f';

/**
 * Issue 16, item 3: a proactive install gives the bot the Graph chat id (`19:…@unq.gbl.spaces`),
 * the user's own messages the Bot Framework id (`a:…`) — two ids for one 1:1. The bot sends to
 * whichever it stored, but one user is paced as one thread, reminded once per campaign, and a
 * second campaign reuses the stored conversation (no new create, no new install).
 */
describe('a user reached through a proactive install: one thread, whatever the id', () => {
  let rig: DispatcherRig;
  afterEach(() => rig.close());

  it('paces the install’s chat id and the user’s a: id as one thread, and reuses the conversation', async () => {
    const apps = new TeamsAppInstallations('manifest', BOT);
    const [user] = recipients(1);
    const id = user!.recipientId;
    apps.uninstall(id);
    const installs: string[] = [];
    const installer: ProactiveInstaller = {
      install: async (u) => {
        installs.push(u);
        apps.install(u);
        return apps.chatId(u);
      },
    };
    rig = await startDispatcherRig({
      sim: { appInstalls: apps, botAppId: BOT, limits: true },
      installer,
    });
    const paced: (string | null)[] = [];
    const acquire = rig.pacer.acquire.bind(rig.pacer);
    rig.pacer.acquire = (key) => {
      paced.push(key);
      return acquire(key);
    };

    // First campaign: Teams refuses the 1:1 (no app), the bot installs and sends to the chat id.
    await rig.store.createCampaign(newCampaign('first', [user!]));
    await rig.dispatcher.start();
    await rig.drained('first');
    const chatId = apps.chatId(id);
    expect(chatId).toMatch(/^19:.+@unq\.gbl\.spaces$/);
    expect(await rig.store.findPersonalConversation(id)).toMatchObject({ conversationId: chatId });
    expect(installs).toEqual([id]);

    // The user then writes to the bot: the a: id of the same 1:1 is stored too (newer).
    await rig.rememberConversation(id);
    const conversationId = rig.connector.conversationFor(id);
    expect(conversationId).not.toBe(chatId);

    // Second campaign: no create, no install; sent to the stored conversation.
    const createsBefore = rig.connector.calls.filter((c) => c.path === '/v3/conversations').length;
    await rig.store.createCampaign(newCampaign('second', [user!]));
    rig.dispatcher.wake();
    await rig.drained('second');
    expect(rig.connector.calls.filter((c) => c.path === '/v3/conversations')).toHaveLength(createsBefore);
    expect(installs).toEqual([id]);

    const sends = rig.connector.calls.filter((c) => c.method === 'POST' && c.status === 201 && c.chat);
    expect(sends.map((c) => c.conversationId)).toEqual([chatId, conversationId]);
    // Teams' record: one chat, one reminder per campaign.
    expect(rig.connector.deliveredByConversation()).toEqual(new Map([[conversationId, 2]]));
    expect(rig.connector.duplicates(isReminderOf('first'))).toEqual([]);
    expect(rig.connector.duplicates(isReminderOf('second'))).toEqual([]);
    // The bot's pacer: every send of this user under one key (not one per conversation id).
    const sendKeys = new Set(paced.filter((k) => k !== null));
    expect(sendKeys.size).toBe(1);
    expect(sendKeys.has(chatId) || sendKeys.has(conversationId)).toBe(false);
  });
});
