import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Reading the Agents Toolkit project (m365agents*.yml, env/, infra/) the way the Toolkit does,
 * for tests that stand in for what cannot run here: the Toolkit itself and the Bicep compiler.
 */

export const ROOT = path.resolve(__dirname, '../..');
export const readText = (rel: string): string => readFileSync(path.join(ROOT, rel), 'utf8');

/** One action of a lifecycle (`provision`, `deploy`, `publish`). */
export interface ToolkitStep {
  uses: string;
  name?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

export interface ToolkitProject {
  version: string;
  environmentFolderPath?: string;
  provision?: ToolkitStep[];
  deploy?: ToolkitStep[];
  publish?: ToolkitStep[];
}

export const LIFECYCLES = ['provision', 'deploy', 'publish'] as const;

export function readToolkitYml(rel: string): ToolkitProject {
  return parse(readText(rel)) as ToolkitProject;
}

/** `${{NAME}}` placeholders in a text, in order of appearance, without repeats. */
export function placeholders(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1] as string)),
  ];
}

/** An env/.env.<name> file: its assignments, and the `SECRET_…` names its comments tell people to set in the `.user` file. */
export interface EnvTemplate {
  values: Map<string, string>;
  documentedSecrets: Set<string>;
}

export function readEnvTemplate(env: string): EnvTemplate {
  const values = new Map<string, string>();
  const documentedSecrets = new Set<string>();
  for (const line of readText(`env/.env.${env}`).split('\n')) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (assignment) values.set(assignment[1] as string, (assignment[2] as string).trim());
    const secret = /^#\s+(SECRET_[A-Z0-9_]+)=/.exec(line);
    if (secret) documentedSecrets.add(secret[1] as string);
  }
  return { values, documentedSecrets };
}

/** A Bicep file with comments and string contents blanked (same length), for structural matching. */
export function stripBicep(source: string): string {
  let out = '';
  let i = 0;
  const blank = (): void => {
    out += source[i] === '\n' ? '\n' : ' ';
    i++;
  };
  while (i < source.length) {
    if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') blank();
    } else if (source.startsWith('/*', i)) {
      while (i < source.length && !source.startsWith('*/', i)) blank();
      blank();
      blank();
    } else if (source[i] === "'") {
      out += "'";
      i++;
      while (i < source.length && source[i] !== "'") {
        if (source[i] === '\\') blank();
        blank();
      }
      out += "'";
      i++;
    } else {
      out += source[i];
      i++;
    }
  }
  return out;
}

export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
}

/** The declarations of a Bicep file that the yml and the parameters file depend on. */
export interface BicepFile {
  source: string;
  params: BicepParam[];
  outputs: string[];
  /** `resource sym 'Type@apiVersion'`. */
  resources: Array<{ symbol: string; type: string; apiVersion: string }>;
}

export function readBicep(rel: string): BicepFile {
  const source = readText(rel);
  const params = [...source.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=)?/gm)].map((m) => ({
    name: m[1] as string,
    type: m[2] as string,
    hasDefault: m[3] !== undefined,
  }));
  const outputs = [...source.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1] as string);
  const resources = [...source.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'/gm)].map((m) => ({
    symbol: m[1] as string,
    type: m[2] as string,
    apiVersion: m[3] as string,
  }));
  return { source, params, outputs, resources };
}

/** The setting names src/config.ts reads: every upper-case key in it (the schema, the fix texts, the Toolkit and botbuilder name tables). */
export function configSettingNames(): Set<string> {
  return new Set(
    [...readText('src/config.ts').matchAll(/^\s+([A-Z][A-Z0-9_]+)\??:/gm)].map((m) => m[1] as string),
  );
}
