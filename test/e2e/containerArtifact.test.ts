import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { startDemoTenant, type DemoTenant } from '../../demo/startDemoTenant';
import { loadConfig } from '../../src/config';
import { ADMIN, messageActivity } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/botHarness';
import { dockerIgnored } from '../helpers/dockerIgnored';
import { execForm, parseDockerfile, type DockerStage } from '../helpers/parseDockerfile';
import { freePort, logLines } from '../helpers/processes';

/**
 * Docker cannot run here, so this test builds the image's file tree by hand from the Dockerfile's
 * own instructions: every `COPY` of the runtime stage is carried out (from the build context, or
 * from the stage it names, made the way that stage makes it), into a folder outside the checkout
 * where nothing else resolves. Then the image's `CMD` starts it in tenant mode against the demo
 * tenant, run as outside services; the `HEALTHCHECK` and `/readyz` must pass and `help` must be
 * answered. A Dockerfile that forgets a file the bot reads at run time, or a bot that needs a
 * devDependency at run time, fails here.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const DOCKERFILE = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; hasInstallScript?: boolean }>;
};
const stages = parseDockerfile(DOCKERFILE);
const runtime = stages.at(-1)!;

/** A child process run to completion; rejects with its output when it fails. */
function run(cmd: string, args: string[], opts: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

function stage(name: string): DockerStage {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`Dockerfile: no stage "${name}"`);
  return s;
}

/** The image a stage finally builds on (following `FROM <stage>`). */
function baseImage(s: DockerStage): string {
  const parent = stages.find((x) => x.name === s.image);
  return parent ? baseImage(parent) : s.image;
}

/** Copies a context path as `COPY` does, after checking .dockerignore lets it into the context. */
function copyFromContext(src: string, dest: string): void {
  const rel = path.posix.normalize(src).replace(/^\.\/|\/$/g, '');
  if (dockerIgnored(DOCKERIGNORE, rel))
    throw new Error(`Dockerfile copies ${rel}, which .dockerignore excludes`);
  const from = path.join(ROOT, rel);
  if (!existsSync(from)) throw new Error(`Dockerfile copies ${rel}, which does not exist`);
  // Context folders arrive without what .dockerignore drops inside them.
  cpSync(from, dest, {
    recursive: true,
    filter: (f) => !dockerIgnored(DOCKERIGNORE, path.relative(ROOT, f).split(path.sep).join('/')),
  });
}

/** Where `COPY … dest` puts one source, relative to the working directory `/app` (= `app`). */
function destination(app: string, dest: string, src: string, many: boolean): string {
  const target = path.join(app, dest.replace(/^\/app\/?/, ''));
  return dest.endsWith('/') || many ? path.join(target, path.basename(src)) : target;
}

/** `npm run build` of the build stage: tsc on src/ into `into`. */
async function buildDist(into: string): Promise<void> {
  expect(PKG.scripts.build).toBe('tsc -p tsconfig.build.json');
  const tsc = require.resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', into], { cwd: ROOT });
}

/**
 * The prod-deps stage: its context files into a folder of their own, then `npm ci --omit=dev
 * --omit=optional`
 * (the registry is reachable; npm's cache makes it quick). Install scripts are skipped and their
 * output — native binaries, built by the checkout's own `npm ci` for this very Node — is copied
 * from the checkout when the version is the same, else rebuilt: compiling SQLite takes minutes.
 */
async function installProdDeps(into: string, scratch: string): Promise<void> {
  const deps = stage('prod-deps');
  mkdirSync(scratch, { recursive: true });
  for (const c of deps.instructions.filter((i) => i.keyword === 'COPY')) {
    expect(c.flags.from).toBeUndefined();
    const [srcs, dest] = [c.args.slice(0, -1), c.args.at(-1)!];
    for (const src of srcs) copyFromContext(src, destination(scratch, dest, src, srcs.length > 1));
  }
  await run(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--omit=optional',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
    {
      cwd: scratch,
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  const built = Object.entries(LOCK.packages).filter(([k, p]) => k && p.hasInstallScript && !p.dev);
  for (const [key, info] of built) {
    const target = path.join(scratch, key);
    if (!existsSync(target)) continue; // an optional dependency for another platform
    const mine = path.join(ROOT, key);
    const version = (JSON.parse(readFileSync(path.join(mine, 'package.json'), 'utf8')) as { version: string })
      .version;
    if (version === info.version && existsSync(path.join(mine, 'build'))) {
      cpSync(path.join(mine, 'build'), path.join(target, 'build'), { recursive: true });
    } else {
      await run('npm', ['rebuild', key.replace(/^.*node_modules\//, '')], { cwd: scratch });
    }
  }
  cpSync(path.join(scratch, 'node_modules'), into, { recursive: true, verbatimSymlinks: true });
}

/** What each `COPY --from=<stage> <path>` takes, and the command that stage must run to make it. */
const STAGE_OUTPUTS: Record<string, { run: RegExp; make: (into: string, scratch: string) => Promise<void> }> =
  {
    'build:/app/dist': { run: /\bnpm run build\b/, make: (into) => buildDist(into) },
    'prod-deps:/app/node_modules': { run: /\bnpm ci --omit=dev --omit=optional\b/, make: installProdDeps },
  };

/** Carries out the runtime stage's COPYs into `app` (the image's /app). */
async function assemble(app: string, scratch: string): Promise<void> {
  const work = runtime.instructions.find((i) => i.keyword === 'WORKDIR');
  expect(work?.args).toEqual(['/app']);
  mkdirSync(app, { recursive: true });
  const pending: Promise<void>[] = [];
  for (const c of runtime.instructions.filter((i) => i.keyword === 'COPY')) {
    const [srcs, dest] = [c.args.slice(0, -1), c.args.at(-1)!];
    for (const src of srcs) {
      const to = destination(app, dest, src, srcs.length > 1);
      if (c.flags.from === undefined) {
        copyFromContext(src, to);
        continue;
      }
      const key = `${c.flags.from}:${src.replace(/\/$/, '')}`;
      const output = STAGE_OUTPUTS[key];
      if (!output)
        throw new Error(`The test does not know how stage output ${key} is made: teach STAGE_OUTPUTS`);
      const runs = stage(c.flags.from).instructions.filter((i) => i.keyword === 'RUN');
      expect(runs.map((r) => r.raw).join('\n')).toMatch(output.run);
      pending.push(output.make(to, path.join(scratch, c.flags.from)));
    }
  }
  await Promise.all(pending);
}

/** Every file under `dir`, relative and `/`-separated, without descending into `skip`. */
function filesUnder(dir: string, skip: string[] = []): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .filter((f) => !skip.some((s) => f === s || f.startsWith(`${s}/`)));
}

/** `ENV A=1 B=2` of the runtime stage, as the container's environment starts. */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of runtime.instructions.filter((x) => x.keyword === 'ENV')) {
    for (const pair of i.args) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`Dockerfile: ENV ${i.raw}: use the KEY=value form`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

describe('the container image (Dockerfile), assembled and started in tenant mode', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-image-'));
  const app = path.join(dir, 'app');
  let tenant: DemoTenant;
  let connector: ConnectorSimulator;
  let bot: ChildProcess | undefined;
  let output = '';
  let port: number;
  let tenantId: string;

  beforeAll(async () => {
    // Nothing above the folder may lend it packages: Node looks for node_modules in every parent.
    for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
      const above = path.join(path.dirname(d), 'node_modules');
      if (existsSync(above))
        throw new Error(`${above} would lend the image packages it lacks: set TMPDIR elsewhere`);
    }
    [tenant, connector] = await Promise.all([startDemoTenant({ size: 50 }), startConnectorSimulator()]);
    await assemble(app, path.join(dir, 'stages'));

    // The demo tenant as a customer's would be configured: settings in the environment, its CA
    // trusted through Node's store (the image has no setting of ours for a CA).
    const demo = tenant.configure(loadConfig({}));
    tenantId = demo.tenantId;
    const caFile = path.join(dir, 'demo-ca.pem');
    writeFileSync(caFile, tenant.tls.caCert);
    port = await freePort();
    const [node, ...args] = execForm(runtime.instructions.find((i) => i.keyword === 'CMD')!.raw);
    expect(node).toBe('node');
    bot = spawn(process.execPath, args, {
      cwd: app,
      // A container's environment: the image's ENV and the deployment's settings, nothing inherited.
      env: {
        PATH: process.env.PATH,
        ...imageEnv(),
        PORT: String(port),
        LOG_LEVEL: 'info',
        NODE_EXTRA_CA_CERTS: caFile,
        TENANT_ID: tenantId,
        ADMIN_USER_IDS: ADMIN.aadObjectId,
        GRAPH_BASE_URL: demo.graph.baseUrl,
        GRAPH_AUTHORITY_HOST: demo.graph.authorityHost,
        GRAPH_CLIENT_ID: demo.graph.clientId,
        GRAPH_CLIENT_SECRET: demo.graph.clientSecret,
        JAMF_URL: demo.jamf.baseUrl,
        JAMF_CLIENT_ID: demo.jamf.clientId,
        JAMF_CLIENT_SECRET: demo.jamf.clientSecret,
        // The deployment's public address (the CSV export links to it; required in tenant mode).
        PUBLIC_URL: 'https://bot.example.com',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    bot.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    for (const deadline = Date.now() + 30_000; ;) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (bot.exitCode !== null || Date.now() > deadline)
        throw new Error(`the image did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 240_000);

  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((r) => bot!.once('exit', r));
      bot.kill('SIGTERM');
      await exited;
    }
    await Promise.all([tenant?.close(), connector?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is built on Node 22 LTS throughout, runs as the node user and starts as start:prod does', () => {
    expect(runtime.image).toMatch(/^node:22[-.\w]*slim$/);
    // better-sqlite3 is compiled in prod-deps: the same Node as the runtime, or the ABI differs.
    expect(baseImage(stage('prod-deps'))).toBe(runtime.image);
    expect(runtime.instructions.filter((i) => i.keyword === 'USER').map((i) => i.raw)).toEqual(['node']);
    expect(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.raw).toBe(imageEnv().PORT);
    const cmd = execForm(runtime.instructions.find((i) => i.keyword === 'CMD')!.raw);
    expect(['node', ...cmd.slice(1)].join(' ')).toBe(PKG.scripts['start:prod']);
  });

  it('holds dist/, cards/, locales/ and production dependencies only: no demo/, test or dev tool', () => {
    const own = filesUnder(app, ['node_modules', '.data']);
    expect(own).toContain('dist/main.js');
    expect(own).toContain('cards/help.json');
    expect(own).toContain('locales/de/enduser.json');
    expect(own.filter((f) => !/^(dist|cards|locales)\/|^package\.json$/.test(f))).toEqual([]);
    expect(own.filter((f) => /(^|\/)(demo|test|bench)\//.test(f) || /\.ts$/.test(f))).toEqual([]);
    for (const f of own.filter((x) => x.endsWith('.js'))) {
      expect({
        f,
        demo: /require\("(\.\.?\/)+(\.\.\/)*demo\//.test(readFileSync(path.join(app, f), 'utf8')),
      }).toEqual({ f, demo: false });
    }
    const modules = path.join(app, 'node_modules');
    for (const name of ['tsx', 'typescript', 'jest', 'ts-jest', 'selfsigned', 'esbuild', 'eslint', 'ajv']) {
      expect({ name, present: existsSync(path.join(modules, name)) }).toEqual({ name, present: false });
    }
    const devOnly = Object.keys(LOCK.packages).filter(
      (k) => k.startsWith('node_modules/') && LOCK.packages[k]!.dev,
    );
    expect(devOnly.filter((k) => existsSync(path.join(app, k)))).toEqual([]);
    for (const name of Object.keys(PKG.devDependencies)) {
      const key = `node_modules/${name}`;
      if (LOCK.packages[key]?.dev) expect(existsSync(path.join(app, key))).toBe(false);
    }
  });

  it('starts in tenant mode, its HEALTHCHECK passes and /readyz says ready', async () => {
    expect(logLines(output).find((l) => String(l.msg).startsWith('bot listening'))).toMatchObject({
      mode: 'tenant',
    });
    expect(output).not.toMatch(/demo tenant|Playground/);

    const health = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
    const [node, ...args] = execForm(health.raw);
    expect(node).toBe('node');
    await run(process.execPath, args, {
      cwd: app,
      env: { PATH: process.env.PATH, ...imageEnv(), PORT: String(port) },
    });

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mode: 'tenant' } });
  });

  it('answers help through the Bot Connector, and its upstream calls reach the tenant', async () => {
    const activity = messageActivity('help', { from: ADMIN, serviceUrl: connector.serviceUrl, tenantId });
    connector.learn(activity);
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    const [sent] = await connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('What I can do for you');
    // Its calls went to the simulators over HTTPS, trusting their CA through NODE_EXTRA_CA_CERTS.
    let checks: Record<string, string> = {};
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      const r = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as {
        checks: Record<string, string>;
      };
      checks = r.checks;
      if (checks.jamf === 'ok') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(checks.jamf).toBe('ok');
    expect(tenant.jamf.requests.entries.length).toBeGreaterThan(0);
  });
});
