import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { readContract } from '../helpers/readContract';
import {
  configSettingNames,
  LIFECYCLES,
  placeholders,
  readBicep,
  readEnvTemplate,
  readText,
  readToolkitYml,
  ROOT,
  type ToolkitStep,
} from '../helpers/toolkitProject';

/**
 * The Agents Toolkit project, checked without the Toolkit: each yml against the Toolkit's own JSON
 * schema (test/contracts, from @microsoft/m365agentstoolkit-cli), and every ${{VAR}} an action, the
 * ARM parameters file or the manifest reads is set by the environment's env file or written by an
 * earlier action — the Toolkit refuses an empty placeholder only when it reaches that action,
 * which for the manifest is after the Azure deployment.
 */

const PROJECTS = [
  { file: 'm365agents.yml', env: 'dev' },
  { file: 'm365agents.local.yml', env: 'local' },
] as const;

/**
 * Left empty in the committed env file because only the admin knows them; the dev provision's
 * first script step stops with the fix when one is still empty (checked below).
 */
const PERSON_FILLS: Record<string, string[]> = {
  dev: ['JAMF_URL', 'JAMF_CLIENT_ID'],
  local: ['JAMF_URL', 'JAMF_CLIENT_ID'],
};
/** Filled by the Toolkit itself when empty (it asks, or generates). */
const TOOLKIT_FILLS = new Set(['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX']);
/** Written by an action besides its `writeToEnvironmentFile` (the Toolkit's internal outputs). */
const INTERNAL_OUTPUTS: Record<string, string[]> = { 'teamsApp/create': ['TEAMS_APP_TENANT_ID'] };

const schema = JSON.parse(readContract('m365agents-yaml-v1.11.schema.json')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

/** What the local dev tunnel task (.vscode/tasks.json) writes into env/.env.local. */
function tunnelOutputs(): string[] {
  const tasks = JSON.parse(readText('.vscode/tasks.json')) as {
    tasks: Array<{
      command?: string;
      args?: { ports?: Array<{ writeToEnvironmentFile?: Record<string, string> }> };
    }>;
  };
  return tasks.tasks
    .filter((t) => t.command === 'debug-start-local-tunnel')
    .flatMap((t) => t.args?.ports ?? [])
    .flatMap((p) => Object.values(p.writeToEnvironmentFile ?? {}));
}

/** The variables an action writes into the environment file. */
function outputsOf(step: ToolkitStep): string[] {
  const out = [...Object.values(step.writeToEnvironmentFile ?? {}), ...(INTERNAL_OUTPUTS[step.uses] ?? [])];
  if (step.uses === 'arm/deploy') {
    for (const t of (step.with?.templates ?? []) as Array<{ path: string }>)
      out.push(...readBicep(t.path).outputs);
  }
  if (step.uses === 'script') {
    const run = String(step.with?.run ?? '');
    out.push(...[...run.matchAll(/::set-teamsfx-env\s+(\w+)=/g)].map((m) => m[1] as string));
  }
  return out;
}

/** The variables an action reads: its own placeholders and those of the files it fills in. */
function readsOf(step: ToolkitStep): Array<{ name: string; where: string }> {
  const reads = placeholders(JSON.stringify(step)).map((name) => ({ name, where: 'the action' }));
  const files: string[] = [];
  if (step.uses === 'arm/deploy') {
    for (const t of (step.with?.templates ?? []) as Array<{ parameters?: string }>) {
      if (t.parameters) files.push(t.parameters);
    }
  }
  if (step.uses === 'teamsApp/zipAppPackage' || step.uses === 'teamsApp/validateManifest') {
    files.push(String(step.with?.manifestPath));
  }
  for (const f of files) reads.push(...placeholders(readText(f)).map((name) => ({ name, where: f })));
  return reads;
}

describe.each(PROJECTS)('$file', ({ file, env }) => {
  const project = readToolkitYml(file);

  it("is valid against the Toolkit's schema v1.11, named in its first line", () => {
    expect(readText(file).split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://aka.ms/m365-agents-toolkits/v1.11/yaml.schema.json',
    );
    expect(project.version).toBe('v1.11');
    const ok = validate(project);
    expect(ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it(`reads only variables that env/.env.${env} sets or an earlier action writes`, () => {
    expect(project.environmentFolderPath).toBe('./env');
    const template = readEnvTemplate(env);
    const available = new Set<string>([
      ...[...template.values].filter(([, v]) => v !== '').map(([k]) => k),
      ...template.documentedSecrets,
      ...(PERSON_FILLS[env] ?? []).filter((k) => template.values.has(k)),
      ...TOOLKIT_FILLS,
      ...(env === 'local' ? tunnelOutputs() : []),
    ]);
    const problems: string[] = [];
    for (const lifecycle of LIFECYCLES) {
      (project[lifecycle] ?? []).forEach((step, i) => {
        for (const { name, where } of readsOf(step)) {
          if (!available.has(name)) {
            problems.push(
              `${lifecycle}[${i}] ${step.uses}: ${where} reads \${{${name}}}, which env/.env.${env} leaves empty and no earlier action writes`,
            );
          }
        }
        for (const name of outputsOf(step)) available.add(name);
      });
    }
    expect(problems).toEqual([]);
  });

  it('runs only scripts and files that exist in the repository', () => {
    const missing: string[] = [];
    for (const lifecycle of LIFECYCLES) {
      for (const step of project[lifecycle] ?? []) {
        const text = JSON.stringify(step.with ?? {});
        for (const m of text.matchAll(/\b((?:scripts|infra|appPackage)\/[\w./-]+\.(?:ts|bicep|json))\b/g)) {
          if (!existsSync(path.join(ROOT, m[1] as string))) missing.push(m[1] as string);
        }
        if (/--file Dockerfile\b/.test(text) && !existsSync(path.join(ROOT, 'Dockerfile')))
          missing.push('Dockerfile');
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('m365agents.yml', () => {
  it('stops before creating anything in Azure when an input only the admin knows is missing', () => {
    const steps = readToolkitYml('m365agents.yml').provision ?? [];
    const firstScript = steps.findIndex((s) => s.uses === 'script');
    expect(firstScript).toBeLessThan(steps.findIndex((s) => s.uses === 'arm/deploy'));
    const run = String(steps[firstScript]?.with?.run);
    const checked = [...run.matchAll(/^\s*need (\w+) /gm)].map((m) => m[1]);
    expect(checked.sort()).toEqual(
      [...(PERSON_FILLS.dev ?? []), ...readEnvTemplate('dev').documentedSecrets].sort(),
    );
  });
});

describe('env/ templates', () => {
  it('hold no secret values; the .user files with the secrets are gitignored', () => {
    for (const env of ['dev', 'local']) {
      const { values } = readEnvTemplate(env);
      const secrets = [...values.keys()].filter((k) => /SECRET|PASSWORD/.test(k));
      expect({ env, secrets }).toEqual({ env, secrets: [] });
      // git check-ignore exits 0 when the path is ignored.
      expect(() =>
        execFileSync('git', ['check-ignore', '-q', `env/.env.${env}.user`], { cwd: ROOT, stdio: 'ignore' }),
      ).not.toThrow();
    }
  });

  it('name in BOT_SETTINGS only settings src/config.ts reads', () => {
    const known = configSettingNames();
    for (const env of ['dev']) {
      const names = (readEnvTemplate(env).values.get('BOT_SETTINGS') ?? '')
        .split(';')
        .filter((p) => p.includes('='))
        .map((p) => p.slice(0, p.indexOf('=')).trim());
      expect(names.filter((n) => !known.has(n))).toEqual([]);
    }
  });
});

describe('m365agents.local.yml', () => {
  it("writes the bot's .env with src/config.ts's setting names only", () => {
    const known = configSettingNames();
    const steps = readToolkitYml('m365agents.local.yml').deploy ?? [];
    const envFile = steps.find((s) => s.uses === 'file/createOrUpdateEnvironmentFile');
    expect(envFile?.with?.target).toBe('./.env');
    const names = Object.keys((envFile?.with?.envs ?? {}) as Record<string, unknown>);
    expect(names).toEqual(
      expect.arrayContaining(['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'PUBLIC_URL']),
    );
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });
});
