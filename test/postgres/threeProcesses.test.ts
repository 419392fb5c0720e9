import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Pool } from 'pg';
import { PG_MIGRATIONS } from '../../src/store/migrations';
import { freshDatabase, testDatabaseUrl } from './pgTestDatabase';
import { freePort, logLines } from '../helpers/processes';

testDatabaseUrl();

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/**
 * Three real bot processes (`demo/main.ts`, demo tenant each) started at the same moment on one
 * fresh PostgreSQL database: each migrates under the lock and starts, and each scheduled due
 * time runs in exactly one of them (read from their debug logs, where every run names its due
 * time).
 */
describe('three bot processes on one PostgreSQL database', () => {
  const children: { child: ChildProcess; output: string; port: number }[] = [];
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  beforeAll(async () => {
    db = await freshDatabase();
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      const entry = { child: undefined as unknown as ChildProcess, output: '', port };
      entry.child = spawn(TSX, ['--disable-warning=DEP0111', 'demo/main.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          PORT: String(port),
          PLAYGROUND: 'false',
          LOG_LEVEL: 'debug',
          DEMO_FLEET_SIZE: '50',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      entry.child.stdout?.on('data', (b: Buffer) => (entry.output += b.toString()));
      entry.child.stderr?.on('data', (b: Buffer) => (entry.output += b.toString()));
      children.push(entry);
    }
  });

  afterAll(async () => {
    for (const { child } of children) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await db?.drop();
  });

  it('migrate once, all start, and run the start-up connector check in one process only', async () => {
    const deadline = Date.now() + 90_000;
    // Every process listening and its scheduler started.
    while (!children.every((c) => c.output.includes('scheduler started'))) {
      const dead = children.find((c) => c.child.exitCode !== null);
      if (dead) throw new Error(`a bot process exited:\n${dead.output}`);
      if (Date.now() > deadline)
        throw new Error(`not all started:\n${children.map((c) => c.output).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const { port } of children) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true);

    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const migrations = await pool.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY 1',
      );
      expect(migrations.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      // Each process's start-up attempt at the current connector-check due time has settled.
      await new Promise((r) => setTimeout(r, 3000));
      const claims = await pool.query<{ due_at: Date; instance_id: string }>(
        "SELECT due_at, instance_id FROM job_runs WHERE job = 'connector-check'",
      );
      const runs = children.flatMap(({ output }, process) =>
        logLines(output)
          .filter(
            (l) =>
              l.job === 'connector-check' && (l.msg === 'job done' || String(l.msg).startsWith('job failed')),
          )
          .map((l) => ({ process, dueAt: String(l.dueAt) })),
      );
      // One run per claimed due time (processes started within one slot, or across a boundary).
      expect(claims.rows.length).toBeGreaterThanOrEqual(1);
      expect(runs.map((r) => r.dueAt).sort()).toEqual(claims.rows.map((r) => r.due_at.toISOString()).sort());
      expect(new Set(runs.map((r) => r.dueAt)).size).toBe(runs.length);
      const skipped = children.flatMap(({ output }) =>
        logLines(output).filter(
          (l) => l.job === 'connector-check' && l.msg === 'due time already claimed by another instance',
        ),
      );
      expect(skipped.length).toBeGreaterThanOrEqual(3 - runs.length);
    } finally {
      await pool.end();
    }
  }, 120_000);
});
