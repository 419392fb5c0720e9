import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Pool } from 'pg';
import { conversationIdFor } from '../../demo/connectorSimulator';
import type { CampaignRecipient } from '../../src/store/campaignStore';
import type { PgBotStore } from '../../src/store/pgBotStore';
import { freePort } from '../helpers/processes';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** A real bot process (bench/botInstanceChild.ts) and what it printed. */
export interface BotInstance {
  child: ChildProcess;
  output: string;
  port: number;
}

/**
 * Starts one bot instance on `databaseUrl`, sending reminders to the Bot Connector simulator at
 * `serviceUrl`; `env` adds or overrides settings (the broadcast rate, concurrency, lease).
 */
export async function spawnInstance(
  databaseUrl: string,
  serviceUrl: string,
  env: Record<string, string>,
): Promise<BotInstance> {
  const port = await freePort();
  const entry: BotInstance = { child: undefined as unknown as ChildProcess, output: '', port };
  entry.child = spawn(TSX, ['--disable-warning=DEP0111', 'bench/botInstanceChild.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '8',
      BOT_SERVICE_URL: serviceUrl,
      PORT: String(port),
      PLAYGROUND: 'false',
      LOG_LEVEL: 'info',
      DEMO_FLEET_SIZE: '20',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  entry.child.stdout?.on('data', (b: Buffer) => (entry.output += b.toString()));
  entry.child.stderr?.on('data', (b: Buffer) => (entry.output += b.toString()));
  return entry;
}

/** Kills each instance's process group (what is already gone is skipped). */
export function killInstances(instances: BotInstance[]): void {
  for (const { child } of instances) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** `n` people with one Mac each; `tag` keeps different tests' ids apart. */
export function people(n: number, tag: string): CampaignRecipient[] {
  return Array.from({ length: n }, (_, i) => ({
    recipientId: `0d6e1f2a-${tag}-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Person ${i}`,
    upn: `person${i}@example.com`,
    macs: [
      { computerId: String(i), name: `Mac ${i}`, serialNumber: `C02${tag}${i}`, verdict: 'not_registered' },
    ],
  }));
}

/** The recipients' 1:1 conversations, stored as the bot stores them (one statement). */
export async function saveConversations(
  url: string,
  list: CampaignRecipient[],
  serviceUrl: string,
  tenantId: string,
): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const now = new Date().toISOString();
    const rows = list.map((r) => {
      const conversationId = conversationIdFor(r.recipientId);
      return {
        id: conversationId,
        aad: r.recipientId,
        reference: {
          serviceUrl,
          channelId: 'msteams',
          bot: { id: '28:bot', name: 'Jamf Compliance' },
          user: { id: r.recipientId, aadObjectId: r.recipientId },
          conversation: { id: conversationId, conversationType: 'personal', tenantId },
        },
      };
    });
    await pool.query(
      `INSERT INTO conversations (conversation_id, scope, tenant_id, team_id, aad_object_id, reference, first_seen, last_seen)
       SELECT r ->> 'id', 'personal', $2, NULL, r ->> 'aad', r -> 'reference', $3, $3
         FROM json_array_elements($1::json) AS r`,
      [JSON.stringify(rows), tenantId, now],
    );
  } finally {
    await pool.end();
  }
}

/** Every outbox row of a campaign, page by page. */
export async function allOutboxRows(store: PgBotStore, id: string) {
  const rows = [];
  let afterSeq = -1;
  for (;;) {
    const page = await store.listOutbox(id, { limit: 1000, afterSeq });
    if (page.length === 0) return rows;
    rows.push(...page);
    afterSeq = page[page.length - 1]!.seq;
  }
}

/** Polls `done` every 200 ms (running `check` each time); fails after `timeoutMs`. */
export async function waitFor(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  check?: () => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    check?.();
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
