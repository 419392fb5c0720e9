/**
 * Runs the demo tenant's simulators in a child process, so a benchmark measures the bot's work
 * and not the simulators' (both would otherwise share one event loop). The child prints one
 * JSON line with what the parent needs, then serves until it is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AppConfig } from '../src/config';
import { startDemoTenant } from '../src/demo/startDemoTenant';

interface ChildHello {
  graph: AppConfig['graph'];
  jamf: AppConfig['jamf'];
  tenantId: string;
  serials: string[];
}

export interface DemoTenantProcess {
  configure(config: AppConfig): AppConfig;
  serials: string[];
  /** Requests the simulators received since the last reset, token requests excluded. */
  counts(): Promise<{ jamf: number; graph: number }>;
  resetCounts(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the simulators in a child process and waits for them to listen. */
export async function startDemoTenantProcess(opts: {
  size: number;
  latencyMs: number;
}): Promise<DemoTenantProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--disable-warning=DEP0111', __filename, String(opts.size), String(opts.latencyMs)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const hello = await new Promise<ChildHello>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`demo tenant process exited (${code})`)));
    void nextLine().then((line) => resolve(JSON.parse(line) as ChildHello));
  });
  const ask = async (command: string) => {
    const answer = nextLine();
    child.stdin!.write(`${command}\n`);
    return JSON.parse(await answer) as unknown;
  };
  return {
    counts: async () => (await ask('counts')) as { jamf: number; graph: number },
    resetCounts: async () => {
      await ask('reset');
    },
    serials: hello.serials,
    configure: (config) => ({
      ...config,
      tenantId: hello.tenantId,
      graph: { ...config.graph, ...hello.graph },
      jamf: { ...config.jamf, ...hello.jamf },
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (require.main === module) {
  void (async () => {
    const [size, latencyMs] = process.argv.slice(2).map(Number);
    const demo = await startDemoTenant({ size, latencyMs });
    const blank = { graph: {}, jamf: {} } as unknown as AppConfig;
    const c = demo.configure(blank);
    const hello: ChildHello = {
      graph: c.graph,
      jamf: c.jamf,
      tenantId: c.tenantId,
      serials: demo.fleet.jamf.computers.map((x) => x.hardware.serialNumber),
    };
    process.stdout.write(`${JSON.stringify(hello)}\n`);
    const isToken = (path: string) => /oauth|token|openid-configuration/i.test(path);
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line === 'reset') {
        demo.jamf.requests.clear();
        demo.graph.requests.clear();
        process.stdout.write('{}\n');
      } else if (line === 'counts') {
        const jamf = demo.jamf.requests.entries.filter((e) => !isToken(e.path)).length;
        const graph = demo.graph.requests.entries.filter((e) => !isToken(e.path)).length;
        process.stdout.write(`${JSON.stringify({ jamf, graph })}\n`);
      }
    });
    process.on('SIGTERM', () => void demo.close().then(() => process.exit(0)));
  })();
}
