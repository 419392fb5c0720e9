import { createProactiveInstaller, InstallRefusedError } from '../../src/broadcasts/proactiveInstaller';
import { TeamsAppInstallations } from '../../demo/teamsAppInstallations';
import { UpstreamError } from '../../src/errors';
import { checkAgainstCsdl } from '../helpers/csdl';
import { startGraphHarness, type GraphHarness } from './graphTestHarness';

const MANIFEST_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('proactive install through Graph (client against the simulator)', () => {
  let h: GraphHarness;
  let apps: TeamsAppInstallations;
  let user: string;
  let other: string;
  beforeEach(async () => {
    apps = new TeamsAppInstallations(MANIFEST_ID);
    h = await startGraphHarness({ teamsApps: apps });
    user = h.fleet.graph.users[0]!.id;
    other = h.fleet.graph.users[1]!.id;
    apps.uninstall(user);
  });
  afterEach(() => h.close());

  it('catalog look-up, install, 409 on a repeat, installation with its app, chat = the 1:1 as Graph names it (19:…@unq.gbl.spaces)', async () => {
    const graph = h.client();
    expect(await graph.findCatalogAppId("no-such-app-o'brien")).toBeNull();
    const catalogId = await graph.findCatalogAppId(MANIFEST_ID);
    expect(catalogId).toBe(apps.app.id);
    expect(await graph.findUserAppInstallation(user, MANIFEST_ID)).toBeNull();

    expect(await graph.installAppForUser(user, catalogId!)).toBe('installed');
    expect(apps.isInstalledFor(user)).toBe(true);
    expect(await graph.installAppForUser(user, catalogId!)).toBe('already_installed');
    const installationId = await graph.findUserAppInstallation(user, MANIFEST_ID);
    expect(installationId).toBe(apps.installationId(user));
    // Graph's chat id, not a Bot Framework `a:` id: `19:{user}_{bot}@unq.gbl.spaces`.
    expect(await graph.getInstallationChatId(user, installationId!)).toBe(
      `19:${user.toLowerCase()}_${MANIFEST_ID}@unq.gbl.spaces`,
    );

    // What went over the wire: the bind URL, the escaped filters, the shapes the CSDL declares.
    const post = h.sim.requests.entries.find(
      (e) => e.endpoint.includes('installedApps') && e.method === 'POST',
    )!;
    expect(post.endpoint).toBe('POST /users/{id}/teamwork/installedApps');
    expect(post.body).toEqual({
      'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogId}`,
    });
    const catalogQuery = h.sim.requests.entries.find((e) => e.endpoint === 'GET /appCatalogs/teamsApps')!;
    expect(catalogQuery.query.$filter).toBe("externalId eq 'no-such-app-o''brien'");
    const token = await h.token();
    const auth = { authorization: `Bearer ${token}` };
    const catalog = await h.raw(`/appCatalogs/teamsApps?$filter=externalId eq '${MANIFEST_ID}'`, {
      headers: auth,
    });
    expect(catalog.body.value).toHaveLength(1);
    expect(checkAgainstCsdl('teamsApp', catalog.body.value[0])).toEqual([]);
    const list = await h.raw(
      `/users/${user}/teamwork/installedApps?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/externalId eq '${MANIFEST_ID}'`)}`,
      { headers: auth },
    );
    const { '@odata.context': _ctx, ...installation } = list.body.value[0];
    expect(installation.teamsApp.externalId).toBe(MANIFEST_ID);
    expect(checkAgainstCsdl('userScopeTeamsAppInstallation', installation)).toEqual([]);
    const chat = await h.raw(`/users/${user}/teamwork/installedApps/${installationId}/chat`, {
      headers: auth,
    });
    const { '@odata.context': _c2, ...chatBody } = chat.body;
    expect(checkAgainstCsdl('chat', chatBody)).toEqual([]);
    expect(chatBody.chatType).toBe('oneOnOne');
    // Someone else's installation id is not this user's.
    const foreign = await h.raw(`/users/${other}/teamwork/installedApps/${installationId}/chat`, {
      headers: auth,
    });
    expect(foreign.status).toBe(404);
  });

  it('the installer: installs once, treats 409 as installed, caches the catalog id, refuses on 403', async () => {
    const graph = h.client();
    const installer = createProactiveInstaller({ graph, manifestId: MANIFEST_ID, concurrency: 2 });
    expect(await installer.install(user)).toBe(apps.chatId(user));
    // Already installed (other never lost the app): Graph's 409, then the chat all the same.
    expect(await installer.install(other)).toBe(apps.chatId(other));
    expect(h.sim.requests.count('GET /appCatalogs/teamsApps')).toBe(1);
    expect(
      h.sim.requests.entries
        .filter((e) => e.endpoint === 'POST /users/{id}/teamwork/installedApps')
        .map((e) => e.status),
    ).toEqual([201, 409]);

    // The tenant blocks the app (or the permission is missing): a clear, permanent refusal.
    const third = h.fleet.graph.users[2]!.id;
    apps.uninstall(third);
    h.sim.faults.failNext(1, { method: 'POST', path: /\/teamwork\/installedApps$/, status: 403 });
    await expect(installer.install(third)).rejects.toBeInstanceOf(InstallRefusedError);
    apps.blocked = true;
    await expect(installer.install(third)).rejects.toThrow(/Graph 403/);
    expect(apps.isInstalledFor(third)).toBe(false);

    // An app missing from the catalog is refused too; a Graph outage stays transient.
    const missing = createProactiveInstaller({ graph, manifestId: 'not-uploaded', concurrency: 1 });
    await expect(missing.install(third)).rejects.toThrow(/not in the tenant's app catalog/);
    h.sim.faults.failNext(10, { path: '/appCatalogs', status: 503 });
    const outage = createProactiveInstaller({ graph, manifestId: MANIFEST_ID, concurrency: 1 });
    await expect(outage.install(third)).rejects.toBeInstanceOf(UpstreamError);
  });
});
