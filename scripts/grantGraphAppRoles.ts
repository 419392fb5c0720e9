/**
 * Grants the Microsoft Graph application permissions the bot needs (GRAPH_APP_PERMISSIONS, the
 * one list the docs and the setup doctor also read) to a service principal: the bot's
 * user-assigned managed identity in Azure, or the local app registration. A managed identity has
 * no "API permissions" page and no consent button, so app roles are assigned through Graph
 * (`POST /servicePrincipals/{id}/appRoleAssignments`) — what this does with the Azure CLI's
 * sign-in (`az rest`), which must be a Privileged Role Administrator or Global Administrator.
 *
 * Run by the provision step of m365agents.yml / m365agents.local.yml:
 *   GRANT_TO_APP_ID=<client id> GRAPH_APP_ROLES_GRANT=auto|manual npx tsx scripts/grantGraphAppRoles.ts
 * `manual` only prints the commands, for an admin to run. Idempotent: held roles are skipped.
 */
import { execFileSync } from 'node:child_process';
import { GRAPH_APP_PERMISSIONS } from '../src/upstream/graph/graphPermissions';
import {
  planGraphAppRoleGrants,
  type AppRoleGrant,
  type ExistingAppRoleAssignment,
  type GraphAppRole,
} from './planGraphAppRoleGrants';

/** Microsoft Graph's app id, the same in every tenant. */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GRAPH = 'https://graph.microsoft.com/v1.0';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs `az` with these arguments and returns its standard output; throws `AzCommandError`. */
export type RunAz = (args: readonly string[]) => string;

export class AzCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`az ${args.slice(0, 3).join(' ')} failed: ${stderr.trim() || 'no output'}`);
    this.name = 'AzCommandError';
  }
}

/** A grant that could not be made: the message says who can make it and how. */
export class GrantNotAllowedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantNotAllowedError';
  }
}

export interface GrantGraphAppRolesOptions {
  /** Client (app) id of the principal to grant to: the managed identity's or the app registration's. */
  appId: string;
  mode: 'auto' | 'manual';
  az: RunAz;
  log: (line: string) => void;
  permissions?: readonly string[];
  /** Waits between lookups of a principal created moments ago (directory replication). */
  sleep?: (ms: number) => Promise<void>;
  lookupAttempts?: number;
}

export interface GrantGraphAppRolesResult {
  granted: string[];
  alreadyGranted: string[];
  /** `manual` mode: the commands printed for an admin. */
  commands: string[];
}

interface ServicePrincipal {
  id: string;
  displayName?: string;
  appRoles?: GraphAppRole[];
}

const azJson = <T>(az: RunAz, method: 'GET' | 'POST', url: string, body?: unknown): T => {
  const args = ['rest', '--method', method, '--url', url, '--output', 'json'];
  if (body !== undefined)
    args.push('--headers', 'Content-Type=application/json', '--body', JSON.stringify(body));
  const out = az(args).trim();
  return (out === '' ? {} : JSON.parse(out)) as T;
};

const isNotFound = (e: unknown): boolean =>
  e instanceof AzCommandError && /Request_ResourceNotFound|Not Found|404/i.test(e.stderr);
const isForbidden = (e: unknown): boolean =>
  e instanceof AzCommandError &&
  /Authorization_RequestDenied|Forbidden|403|Insufficient privileges/i.test(e.stderr);

/** The `az rest` command that makes one assignment, quoted for a POSIX shell. */
export function grantCommand(principalId: string, graphId: string, grant: AppRoleGrant): string {
  const body = JSON.stringify({ principalId, resourceId: graphId, appRoleId: grant.appRoleId });
  return `az rest --method POST --url ${GRAPH}/servicePrincipals/${principalId}/appRoleAssignments --headers Content-Type=application/json --body '${body}'  # ${grant.permission}`;
}

export async function grantGraphAppRoles(o: GrantGraphAppRolesOptions): Promise<GrantGraphAppRolesResult> {
  if (!GUID.test(o.appId)) {
    throw new Error(
      `GRANT_TO_APP_ID: "${o.appId}" is not a client id (a GUID) — provision sets it from BOT_ID`,
    );
  }
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const graph = azJson<ServicePrincipal>(
    o.az,
    'GET',
    `${GRAPH}/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')?$select=id,appRoles`,
  );

  // A managed identity created by the deployment a moment ago can take a little while to appear.
  let principal: ServicePrincipal | undefined;
  const attempts = o.lookupAttempts ?? 12;
  for (let i = 1; !principal; i++) {
    try {
      principal = azJson<ServicePrincipal>(
        o.az,
        'GET',
        `${GRAPH}/servicePrincipals(appId='${o.appId}')?$select=id,displayName`,
      );
    } catch (e) {
      if (!isNotFound(e) || i >= attempts) {
        throw isNotFound(e)
          ? new Error(
              `No service principal with app id ${o.appId} in this tenant (is az signed in to the bot's tenant?)`,
            )
          : e;
      }
      await sleep(10_000);
    }
  }

  const existing: ExistingAppRoleAssignment[] = [];
  let next: string | undefined =
    `${GRAPH}/servicePrincipals/${principal.id}/appRoleAssignments?$select=appRoleId,resourceId`;
  while (next) {
    const page: { value?: ExistingAppRoleAssignment[]; '@odata.nextLink'?: string } = azJson(
      o.az,
      'GET',
      next,
    );
    existing.push(...(page.value ?? []));
    next = page['@odata.nextLink'];
  }

  const plan = planGraphAppRoleGrants(
    o.permissions ?? GRAPH_APP_PERMISSIONS,
    graph.id,
    graph.appRoles ?? [],
    existing,
  );
  if (plan.unknown.length) {
    throw new Error(`Microsoft Graph offers no application permission named ${plan.unknown.join(', ')}`);
  }
  const who = `${principal.displayName ?? 'the bot'} (${o.appId})`;
  for (const p of plan.alreadyGranted) o.log(`✓ ${p} (already granted)`);
  const commands = plan.toGrant.map((g) => grantCommand(principal.id, graph.id, g));
  if (plan.toGrant.length === 0) {
    o.log(`${who} holds every Microsoft Graph permission the bot needs.`);
    return { granted: [], alreadyGranted: plan.alreadyGranted, commands: [] };
  }
  if (o.mode === 'manual') {
    o.log(
      `GRAPH_APP_ROLES_GRANT=manual: ${who} still lacks ${plan.toGrant.length} Microsoft Graph permission(s). ` +
        'A Privileged Role Administrator or Global Administrator grants them with:',
    );
    for (const c of commands) o.log(`  ${c}`);
    return { granted: [], alreadyGranted: plan.alreadyGranted, commands };
  }

  const granted: string[] = [];
  for (const g of plan.toGrant) {
    try {
      azJson(o.az, 'POST', `${GRAPH}/servicePrincipals/${principal.id}/appRoleAssignments`, {
        principalId: principal.id,
        resourceId: graph.id,
        appRoleId: g.appRoleId,
      });
    } catch (e) {
      if (!isForbidden(e)) throw e;
      const rest = commands.slice(granted.length);
      throw new GrantNotAllowedError(
        [
          `The Azure CLI's account may not grant Microsoft Graph permissions (${g.permission} was refused).`,
          'Sign in as a Privileged Role Administrator or Global Administrator (az login) and provision again,',
          'or set GRAPH_APP_ROLES_GRANT=manual in env/.env.<env> and have an admin run:',
          ...rest.map((c) => `  ${c}`),
        ].join('\n'),
      );
    }
    granted.push(g.permission);
    o.log(`✓ ${g.permission} (granted)`);
  }
  return { granted, alreadyGranted: plan.alreadyGranted, commands: [] };
}

/** `az` through the system's shell lookup (az is a script on every platform: az.cmd on Windows). */
const runAz: RunAz = (args) => {
  try {
    return execFileSync('az', [...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
  } catch (e) {
    const stderr = (e as { stderr?: string | Buffer }).stderr;
    throw new AzCommandError(args, stderr ? String(stderr) : e instanceof Error ? e.message : String(e));
  }
};

async function main(): Promise<void> {
  const mode = (process.env.GRAPH_APP_ROLES_GRANT ?? 'auto').trim() || 'auto';
  if (mode !== 'auto' && mode !== 'manual') {
    throw new Error(`GRAPH_APP_ROLES_GRANT: "${mode}" — use auto or manual`);
  }
  await grantGraphAppRoles({
    appId: (process.env.GRANT_TO_APP_ID ?? '').trim(),
    mode,
    az: runAz,
    log: (line) => console.log(line),
  });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
