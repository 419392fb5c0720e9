import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The layer rules in .dependency-cruiser.cjs (run by `npm run lint`): a forbidden import fails,
 * an allowed one passes, and the real tree holds.
 */
const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

async function cruise(cwd: string, paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [DEPCRUISE, ...paths, '--config', CONFIG, '--output-type', 'err'],
      { cwd },
    );
    return { code: 0, output: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A throw-away tree shaped like the project (src/…, a tsconfig), with the given files. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layers-'));
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['src', 'demo'] }),
  );
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('dependency rules (npm run lint)', () => {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('fails a card model that imports a command', async () => {
    const dir = await tree({
      'src/commands/helpCommand.ts': 'export const helpName = "help";\n',
      'src/cards/helpCardModel.ts':
        'import { helpName } from "../commands/helpCommand";\nexport const title = helpName;\n',
    });
    made.push(dir);
    const { code, output } = await cruise(dir, ['src']);
    expect(code).not.toBe(0);
    expect(output).toContain('layer-cards');
    expect(output).toContain('src/cards/helpCardModel.ts → src/commands/helpCommand.ts');
  });

  it('fails runtime code that imports the demo tenant, and a command that reads the store', async () => {
    const dir = await tree({
      'demo/startDemoTenant.ts': 'export const demo = 1;\n',
      'src/config.ts': 'import { demo } from "../demo/startDemoTenant";\nexport const x = demo;\n',
      'src/store/auditLog.ts': 'export type AuditLog = { append(): void };\n',
      'src/commands/auditCommand.ts':
        'import type { AuditLog } from "../store/auditLog";\nexport const f = (a: AuditLog) => a.append();\n',
    });
    made.push(dir);
    const { code, output } = await cruise(dir, ['src', 'demo']);
    expect(code).not.toBe(0);
    expect(output).toContain('src-never-imports-demo');
    expect(output).toContain('layer-commands: src/commands/auditCommand.ts → src/store/auditLog.ts');
  });

  it('passes imports that point down', async () => {
    const dir = await tree({
      'src/compliance/verdict.ts': 'export type Verdict = "compliant";\n',
      'src/cards/deviceCardModel.ts':
        'import type { Verdict } from "../compliance/verdict";\nexport const v: Verdict = "compliant";\n',
      'src/commands/checkDevice.ts':
        'import { v } from "../cards/deviceCardModel";\nexport const answer = v;\n',
    });
    made.push(dir);
    const { code, output } = await cruise(dir, ['src']);
    expect(output).not.toContain('error');
    expect(code).toBe(0);
  });

  it('holds for the project itself (src/ and demo/)', async () => {
    const { code, output } = await cruise(ROOT, ['src', 'demo']);
    expect(output).not.toMatch(/error /);
    expect(code).toBe(0);
  });

  it('names every folder and root file of src/ in a layer', async () => {
    const dir = await tree({
      'src/newThing/thing.ts': 'import { x } from "../log";\nexport const y = x;\n',
      'src/log.ts': 'export const x = 1;\n',
    });
    made.push(dir);
    const { code, output } = await cruise(dir, ['src']);
    expect(code).not.toBe(0);
    expect(output).toContain('every-file-has-a-layer');
  });
});
