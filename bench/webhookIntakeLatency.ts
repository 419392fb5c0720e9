/**
 * How fast `POST /api/webhooks/jamf` answers: 1,000 distinct deliveries (a mix of computer events
 * and smart group changes of 100 ids) to the real app on loopback with a SQLite file, 10 in
 * flight, the worker running beside them (its refresh a no-op). Prints p50/p95/p99 and the max.
 * A measurement, not an assertion: `npx tsx bench/webhookIntakeLatency.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/log';

const DELIVERIES = 1_000;
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const SECRET = 'bench-webhook-secret-0123456789-0123456789';

function body(i: number): string {
  const webhook = { id: 7, name: 'bench', eventTimestamp: 1767225600000 + i };
  if (i % 10 === 0) {
    const ids = Array.from({ length: 100 }, (_, k) => i * 100 + k);
    return JSON.stringify({
      webhook: { ...webhook, webhookEvent: 'SmartGroupComputerMembershipChange' },
      event: {
        jssid: 12,
        name: 'Compliance Group',
        computer: true,
        smartGroup: true,
        groupAddedDevicesIds: ids,
        groupRemovedDevicesIds: [],
      },
    });
  }
  return JSON.stringify({
    webhook: { ...webhook, webhookEvent: 'ComputerInventoryCompleted' },
    event: { jssID: i, serialNumber: `C02BENCH${i}`, udid: `udid-${i}`, username: `user${i}` },
  });
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-webhooks-'));
  const config = loadConfig({
    TENANT_ID: '6f1c2a7e-3d4b-4c8a-9e5f-000000000001',
    GRAPH_CLIENT_ID: 'graph-app',
    GRAPH_CLIENT_SECRET: 'graph-secret',
    JAMF_URL: 'https://yourorg.jamfcloud.com',
    JAMF_CLIENT_ID: 'jamf-client',
    JAMF_CLIENT_SECRET: 'jamf-secret',
    PUBLIC_URL: 'https://bot.example.com',
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'false',
    LOG_LEVEL: 'silent',
    DATABASE_PATH: path.join(dir, 'bot.sqlite'),
    JAMF_WEBHOOK_SECRET: SECRET,
  });
  let refreshed = 0;
  const app = createApp(config, {
    logger: silentLogger(),
    refreshComputers: async (ids) => void (refreshed += ids.length),
  });
  const { url } = await app.listen();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < DELIVERIES; i = next++) {
        const t = performance.now();
        const res = await fetch(`${url}/api/webhooks/jamf`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-jamf-webhook-secret': SECRET },
          body: body(i),
        });
        await res.arrayBuffer();
        if (res.status !== 202) throw new Error(`delivery ${i}: ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${DELIVERIES} deliveries, ${CONCURRENCY} in flight, ${ms(wall)} wall: p50 ${ms(percentile(sorted, 50))}, p95 ${ms(
      percentile(sorted, 95),
    )}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted[sorted.length - 1]!)}`,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  console.log(
    `worker: ${JSON.stringify(await app.store.webhookQueueCounts())}, ${refreshed} ids refreshed so far`,
  );
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
