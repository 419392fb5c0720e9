import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { TENANT_ENV } from '../helpers/tenantEnv';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'main.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const NOWHERE = 'https://127.0.0.1:1';
/** Root writes through any mode bits: as root the bot runs as `nobody`, as an admin's service user would. */
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/**
 * Issue 21: the production entry on a SQLite file it may not write (mode 0444 in a 0555 folder).
 * In WAL mode SQLite cannot even read such a file, so the bot stops once, with one line that says
 * what is wrong and what to do — not a stack trace, and not a start that fails every command.
 */
describe('start-up on a read-only SQLite file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-ro-'));
  const file = path.join(dir, 'bot.sqlite');

  afterAll(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits once with a clear message naming the file and the fix', async () => {
    const store = SqliteBotStore.open(file);
    await store.close();
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);

    let output = '';
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', TSX, MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        ...TENANT_ENV,
        GRAPH_BASE_URL: `${NOWHERE}/v1.0`,
        GRAPH_AUTHORITY_HOST: NOWHERE,
        JAMF_URL: NOWHERE,
        PORT: '0',
        DATABASE_PATH: file,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...NOBODY,
    });
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));

    expect(code).toBe(1);
    expect(output).toContain(`The bot could not start: The database (SQLite file ${file}) is read-only`);
    expect(output).toContain('make the file and its folder writable by the user the bot runs as');
    expect(output).not.toMatch(/^\s+at /m);
  }, 30_000);
});
