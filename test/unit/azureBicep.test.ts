import {
  configSettingNames,
  LIFECYCLES,
  placeholders,
  readBicep,
  readText,
  readToolkitYml,
  stripBicep,
} from '../helpers/toolkitProject';

/**
 * infra/azure.bicep without a Bicep compiler (none installs from npm or Debian; the CLI is a
 * download the Toolkit makes at provision time): the parameters file and the yml agree with its
 * params and outputs, it is structurally sound, and the container gets settings src/config.ts reads.
 */

const bicep = readBicep('infra/azure.bicep');
const code = stripBicep(bicep.source);
const parameters = (
  JSON.parse(readText('infra/azure.parameters.json')) as { parameters: Record<string, unknown> }
).parameters;

/** The `{ name: 'X', value|secretRef: … }` entries of a Bicep array variable. */
function settingsIn(variable: string): Array<{ name: string; secretRef?: string; value?: string }> {
  const block = new RegExp(`^var ${variable} = \\[\\n([\\s\\S]*?)\\n\\]`, 'm').exec(bicep.source)?.[1] ?? '';
  return [...block.matchAll(/\{ name: '(\w+)', (value|secretRef): ([^}]*?) \}/g)].map((m) =>
    m[2] === 'secretRef'
      ? { name: m[1] as string, secretRef: (m[3] as string).replace(/'/g, '') }
      : { name: m[1] as string, value: m[3] as string },
  );
}

describe('infra/azure.bicep', () => {
  it('is balanced: brackets, braces and parentheses close in order', () => {
    const stack: string[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    const errors: string[] = [];
    code.split('\n').forEach((line, i) => {
      for (const c of line) {
        if ('([{'.includes(c)) stack.push(c);
        else if (c in pairs && stack.pop() !== pairs[c]) errors.push(`line ${i + 1}: unexpected ${c}`);
      }
    });
    expect({ errors, unclosed: stack }).toEqual({ errors: [], unclosed: [] });
  });

  it('takes every parameter the parameters file sets, and the file sets every one without a default', () => {
    const names = new Set(bicep.params.map((p) => p.name));
    expect(Object.keys(parameters).filter((k) => !names.has(k))).toEqual([]);
    const required = bicep.params.filter((p) => !p.hasDefault).map((p) => p.name);
    expect(required.filter((p) => !(p in parameters))).toEqual([]);
    // Secrets arrive only as @secure() params, from the .user env file (SECRET_…).
    for (const [name, v] of Object.entries(parameters)) {
      const ph = placeholders(JSON.stringify(v));
      if (ph.some((p) => p.startsWith('SECRET_'))) {
        expect({
          name,
          secure: new RegExp(`@secure\\(\\)\\n(@.*\\n)*param ${name} `).test(bicep.source),
        }).toEqual({
          name,
          secure: true,
        });
      }
    }
  });

  it("declares every output the yml files read, in the Toolkit's upper-case form", () => {
    for (const o of bicep.outputs) expect(o).toMatch(/^[A-Z][A-Z0-9_]*$/);
    const read = new Set(
      ['m365agents.yml', 'm365agents.local.yml'].flatMap((f) => {
        const y = readToolkitYml(f);
        return LIFECYCLES.flatMap((l) => y[l] ?? []).flatMap((s) => placeholders(JSON.stringify(s)));
      }),
    );
    for (const name of [
      'BOT_ID',
      'BOT_DOMAIN',
      'AZURE_CONTAINER_REGISTRY_NAME',
      'AZURE_CONTAINER_APP_NAME',
    ]) {
      expect(bicep.outputs).toContain(name);
    }
    const fromAzure = [...read].filter((n) => /^(AZURE_CONTAINER_|AZURE_KEY_VAULT|BOT_ENDPOINT)/.test(n));
    expect(fromAzure.filter((n) => !bicep.outputs.includes(n))).toEqual([]);
  });

  it('pins every resource to a dated API version', () => {
    expect(bicep.resources.length).toBeGreaterThan(10);
    for (const r of bicep.resources)
      expect(`${r.type}@${r.apiVersion}`).toMatch(/@\d{4}-\d{2}-\d{2}(-preview)?$/);
  });

  it('creates the pieces the issue names, and no file share for SQLite', () => {
    const types = new Set(bicep.resources.map((r) => r.type));
    for (const t of [
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.App/managedEnvironments',
      'Microsoft.App/containerApps',
      'Microsoft.ContainerRegistry/registries',
      'Microsoft.DBforPostgreSQL/flexibleServers',
      'Microsoft.DBforPostgreSQL/flexibleServers/databases',
      'Microsoft.KeyVault/vaults',
      'Microsoft.KeyVault/vaults/secrets',
      'Microsoft.OperationalInsights/workspaces',
    ]) {
      expect(types).toContain(t);
    }
    expect([...types].filter((t) => t.startsWith('Microsoft.Storage/'))).toEqual([]);
    expect(bicep.source).not.toMatch(/DATABASE_PATH|azureFile/i);
  });

  it('makes the managed identity the bot: UserAssignedMSI, its client id and tenant, the Teams channel', () => {
    expect(bicep.source).toMatch(/msaAppType: 'UserAssignedMSI'/);
    expect(bicep.source).toMatch(/msaAppId: identity\.properties\.clientId/);
    expect(bicep.source).toMatch(/msaAppMSIResourceId: identity\.id/);
    expect(bicep.source).toMatch(/msaAppTenantId: identity\.properties\.tenantId/);
    expect(bicep.source).toMatch(/endpoint: '\$\{publicUrl\}\/api\/messages'/);
    expect(bicep.source).toMatch(/channelName: 'MsTeamsChannel'/);
    const settings = settingsIn('baseSettings');
    expect(settings).toEqual(
      expect.arrayContaining([
        { name: 'MICROSOFT_APP_TYPE', value: "'UserAssignedMSI'" },
        { name: 'MICROSOFT_APP_ID', value: 'identity.properties.clientId' },
        { name: 'MICROSOFT_APP_TENANT_ID', value: 'identity.properties.tenantId' },
        { name: 'GRAPH_AUTH', value: "'managed-identity'" },
        { name: 'GRAPH_MANAGED_IDENTITY_CLIENT_ID', value: 'identity.properties.clientId' },
      ]),
    );
    expect(settings.map((s) => s.name)).not.toContain('MICROSOFT_APP_PASSWORD');
    expect(settings.map((s) => s.name)).not.toContain('GRAPH_CLIENT_SECRET');
  });

  it('gives the container only settings src/config.ts reads, secrets only as Key Vault references', () => {
    const known = configSettingNames();
    const settings = settingsIn('baseSettings');
    expect(settings.length).toBeGreaterThan(10);
    expect(settings.map((s) => s.name).filter((n) => !known.has(n))).toEqual([]);
    const secretNames = [
      ...bicep.source.matchAll(
        /\{ name: '([\w-]+)', keyVaultUrl: \w+\.properties\.secretUri, identity: identity\.id \}/g,
      ),
    ].map((m) => m[1]);
    for (const s of settings.filter((x) => x.secretRef)) expect(secretNames).toContain(s.secretRef);
    for (const secret of ['JAMF_CLIENT_SECRET', 'DATABASE_URL', 'DOWNLOAD_SIGNING_KEY']) {
      expect(settings.find((s) => s.name === secret)?.secretRef).toBeDefined();
    }
  });

  it('serves port 3978 with liveness on /healthz and readiness on /readyz', () => {
    expect(bicep.source).toMatch(/var botPort = 3978/);
    expect(bicep.source).toMatch(/targetPort: usePlaceholder \? 80 : botPort/);
    expect(bicep.source).toMatch(/type: 'Liveness'\s+httpGet: \{ path: '\/healthz', port: botPort \}/);
    expect(bicep.source).toMatch(/type: 'Readiness'\s+httpGet: \{ path: '\/readyz', port: botPort \}/);
    expect(settingsIn('baseSettings')).toContainEqual({ name: 'PORT', value: 'string(botPort)' });
  });
});
