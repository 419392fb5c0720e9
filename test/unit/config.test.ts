import { configSecrets, loadConfig } from '../../src/config';
import { configProblems } from '../helpers/configProblems';
import { TENANT_ENV } from '../helpers/tenantEnv';

const tenantEnv = TENANT_ENV;

const problemsOf = configProblems;

describe('loadConfig', () => {
  it('with nothing set is in demo mode (for the demo entry to fill in), local mode on loopback, nobody an admin', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('demo');
    expect(c.bot.localMode).toBe(true);
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 3978 });
    expect(c.tenantId).toBe('');
    expect(c.bot.manifestId).toBe('');
    expect(c.access.adminUserIds).toEqual([]);
    expect(c.criteria.inventoryMaxAgeDays).toBe(2);
  });

  it('with tenant credentials talks to the tenant, and has no demo admins', () => {
    const c = loadConfig(tenantEnv);
    expect(c.mode).toBe('tenant');
    expect(c.access.adminUserIds).toEqual([]);
    expect(c.jamf.baseUrl).toBe('https://yourorg.jamfcloud.com');
  });

  it('with app credentials (production) nobody is an admin by default, not even in the demo tenant', () => {
    const prod = {
      MICROSOFT_APP_ID: '4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      MICROSOFT_APP_PASSWORD: 'bot-password',
      MICROSOFT_APP_TENANT_ID: '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f',
    };
    expect(loadConfig(prod).access).toEqual({
      adminUserIds: [],
      adminGroupId: null,
      adminTeamId: null,
      adminTeamChannelId: null,
      cardSigningKey: null,
    });
    const signing = loadConfig({ ...prod, CARD_SIGNING_KEY: 'k'.repeat(32) });
    expect(signing.access.cardSigningKey).toBe('k'.repeat(32));
    expect(configSecrets(signing)).toContain('k'.repeat(32)); // blanked in logs
    expect(() => loadConfig({ ...prod, CARD_SIGNING_KEY: 'short' })).toThrow(/CARD_SIGNING_KEY/);
    expect(loadConfig({ ...prod, ADMIN_TEAM_ID: '19:it@thread.tacv2' }).access.adminTeamId).toBe(
      '19:it@thread.tacv2',
    );
    expect(problemsOf({ ADMIN_TEAM_CHANNEL_ID: '19:c@thread.tacv2' })[0]).toMatch(
      /ADMIN_TEAM_CHANNEL_ID: set ADMIN_TEAM_ID too/,
    );
  });

  it('passes Bot Framework endpoint overrides to botbuilder under its own names, and none by default', () => {
    expect(loadConfig({}).bot.authOverrides).toEqual({});
    const c = loadConfig({
      BOTFRAMEWORK_OPENID_METADATA_URL:
        'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      BOTFRAMEWORK_LOGIN_URL: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
      BOTFRAMEWORK_VALIDATE_AUTHORITY: 'false',
    });
    expect(c.bot.authOverrides).toEqual({
      ToBotFromChannelOpenIdMetadataUrl:
        'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
      ValidateAuthority: 'false',
    });
    expect(problemsOf({ BOTFRAMEWORK_LOGIN_URL: 'not a url' })[0]).toMatch(
      /^BOTFRAMEWORK_LOGIN_URL: must be a URL/,
    );
  });

  it('names every missing tenant setting with how to fix it', () => {
    const problems = problemsOf({ JAMF_URL: 'https://x.jamfcloud.com' });
    expect(problems.join('\n')).toMatch(/TENANT_ID: missing/);
    expect(problems.join('\n')).toMatch(/GRAPH_CLIENT_ID: missing/);
    expect(problems.join('\n')).toMatch(/JAMF_CLIENT_SECRET: missing/);
  });

  it('installs the app through Graph for reminder recipients who lack it unless PROACTIVE_INSTALL=false', () => {
    expect(loadConfig({}).broadcast.proactiveInstall).toBe(true);
    expect(loadConfig({ PROACTIVE_INSTALL: 'false' }).broadcast.proactiveInstall).toBe(false);
    expect(problemsOf({ PROACTIVE_INSTALL: 'maybe' })).toEqual(['PROACTIVE_INSTALL: use true or false']);
  });

  it('in tenant mode needs an https PUBLIC_URL for the CSV export links, unless CSV_EXPORT=false', () => {
    const { PUBLIC_URL: _, ...withoutUrl } = tenantEnv;
    expect(problemsOf(withoutUrl)).toEqual([
      expect.stringMatching(
        /^PUBLIC_URL: missing — the campaign CSV export links to it; set it to the bot's public https address.*, or set CSV_EXPORT=false to turn the export off$/,
      ),
    ]);
    expect(problemsOf({ ...tenantEnv, PUBLIC_URL: 'http://bot.example.com' })).toEqual([
      expect.stringMatching(/^PUBLIC_URL: must start with https:\/\//),
    ]);
    for (const bad of [
      'https://bot.example.com/?a=1',
      'https://bot.example.com/#x',
      'https://user:pw@bot.example.com',
    ]) {
      expect(problemsOf({ ...tenantEnv, PUBLIC_URL: bad })).toEqual([
        expect.stringMatching(/^PUBLIC_URL: only scheme, host and path/),
      ]);
    }
    const off = loadConfig({ ...withoutUrl, CSV_EXPORT: 'false' });
    expect(off.broadcast).toMatchObject({ csvExport: false, publicUrl: null });
    expect(loadConfig(tenantEnv).broadcast).toMatchObject({
      csvExport: true,
      publicUrl: 'https://bot.example.com',
    });
    // The demo serves its links from the listening address: nothing to set.
    expect(loadConfig({}).broadcast).toMatchObject({ csvExport: true, publicUrl: null });
    expect(problemsOf({ CSV_EXPORT: 'sometimes' })).toEqual(['CSV_EXPORT: use true or false']);
  });

  it('names a wrong value and says what it should be', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: must be a whole number/)]);
    expect(problemsOf({ MICROSOFT_APP_ID: 'not-a-guid' })[0]).toMatch(/MICROSOFT_APP_ID: .*GUID.*Azure Bot/);
    expect(problemsOf({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL:/);
    expect(problemsOf({ ...tenantEnv, JAMF_URL: 'http://plain.example.com' })).toEqual([
      'JAMF_URL: must start with https://',
    ]);
    expect(problemsOf({ ADMIN_USER_IDS: 'alice' })[0]).toMatch(
      /ADMIN_USER_IDS: "alice" is not an Entra object id/,
    );
  });

  it('refuses to listen beyond loopback without Bot Framework credentials', () => {
    expect(problemsOf({ HOST: '0.0.0.0' })[0]).toMatch(/^HOST: without MICROSOFT_APP_ID/);
  });

  it('with bot credentials validates requests and listens on all interfaces', () => {
    const c = loadConfig({
      MICROSOFT_APP_ID: '9b2f6c1e-0d3a-4f7b-8c5e-2a1d4b6c8e0f',
      MICROSOFT_APP_PASSWORD: 'pw',
      MICROSOFT_APP_TENANT_ID: '6f1c2a7e-3d4b-4c8a-9e5f-000000000001',
    });
    expect(c.bot.localMode).toBe(false);
    expect(c.http.host).toBe('0.0.0.0');
    expect(c.bot.manifestId).toBe('9b2f6c1e-0d3a-4f7b-8c5e-2a1d4b6c8e0f');
    expect(problemsOf({ MICROSOFT_APP_ID: '9b2f6c1e-0d3a-4f7b-8c5e-2a1d4b6c8e0f' }).join('\n')).toMatch(
      /MICROSOFT_APP_PASSWORD: missing/,
    );
  });

  it('never puts a secret into a problem message', () => {
    const problems = problemsOf({ ...tenantEnv, GRAPH_CLIENT_SECRET: 's3cr3t-value', TENANT_ID: 'nope' });
    expect(problems.join('\n')).not.toContain('s3cr3t-value');
  });

  it('reads the compliance criteria, with NONE turning the FileVault check off', () => {
    const c = loadConfig({
      INVENTORY_MAX_AGE_DAYS: '7',
      REQUIRED_FILEVAULT: 'NONE',
      COMPLIANCE_GROUP: 'Our group',
    });
    expect(c.criteria).toMatchObject({
      inventoryMaxAgeDays: 7,
      requiredFileVault: null,
      complianceGroup: 'Our group',
    });
  });

  it('reads what end users are told: the deadline (a real date) and the Self Service policy', () => {
    const c = loadConfig({ ROLLOUT_DEADLINE: '2026-12-31', SELF_SERVICE_POLICY_NAME: ' Register this Mac ' });
    expect(c.endUsers).toEqual({ deadline: '2026-12-31', selfServicePolicyName: 'Register this Mac' });
    expect(loadConfig({}).endUsers).toEqual({
      deadline: null,
      selfServicePolicyName: 'Register with Microsoft Entra ID',
    });
    for (const bad of ['31/12/2026', '2026-02-30', 'soon'])
      expect(() => loadConfig({ ROLLOUT_DEADLINE: bad })).toThrow(/ROLLOUT_DEADLINE: .*2026-12-31/);
  });

  it("reads the rollout forecast's target share: 95 % by default, a whole percentage", () => {
    expect(loadConfig({}).rollout.targetPercent).toBe(95);
    expect(loadConfig({ ROLLOUT_TARGET_PERCENT: '90' }).rollout.targetPercent).toBe(90);
    for (const bad of ['0', '101', '92.5', 'most'])
      expect(() => loadConfig({ ROLLOUT_TARGET_PERCENT: bad })).toThrow(/ROLLOUT_TARGET_PERCENT/);
  });
});
