import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEMO_BOT_ID, DEMO_PEOPLE, DEMO_TEAM, DEMO_TENANT_ID } from '../../demo/demoIdentities';

/** The Playground must sit inside the demo tenant: same tenant, same people, same ids. */
describe('.m365agentsplayground.yml', () => {
  const config = YAML.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', '.m365agentsplayground.yml'), 'utf8'),
  );

  it('uses the demo tenant and bot', () => {
    expect(config.tenantId).toBe(DEMO_TENANT_ID);
    expect(config.bot.id).toBe(DEMO_BOT_ID);
  });

  it('makes the current user a demo admin who owns a Mac, and the others end users', () => {
    const people = [config.currentUser, ...config.users];
    expect(people).toHaveLength(DEMO_PEOPLE.length);
    for (const [i, p] of DEMO_PEOPLE.entries()) {
      expect(people[i]).toMatchObject({
        id: p.teamsId,
        name: p.name,
        aadObjectId: p.aadObjectId,
        userPrincipleName: p.upn,
        email: p.upn,
        givenName: p.givenName,
        surname: p.surname,
      });
      expect(p.macs.length).toBeGreaterThan(0);
    }
    expect(DEMO_PEOPLE[0]!.admin).toBe(true);
    expect(DEMO_PEOPLE.slice(1).every((p) => !p.admin)).toBe(true);
    // The Playground's schema takes exactly five other users.
    expect(config.users).toHaveLength(5);
  });

  it('puts the team and channel where the demo expects them', () => {
    expect(config.team.id).toBe(DEMO_TEAM.id);
    expect(config.team.channels[0]).toEqual({ id: DEMO_TEAM.channel.id, name: DEMO_TEAM.channel.name });
  });
});
