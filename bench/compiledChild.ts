import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.bench-build');
let built = false;

/**
 * The compiled JavaScript of a bench child (`bench/fleetBotChild.ts` → `.bench-build/bench/
 * fleetBotChild.js`), compiled once per bench run by `tsc` as `npm run build` compiles the bot:
 * a child forked from it runs on plain `node`, as the bot runs in production (`node
 * dist/main.js`), not under tsx's loader, whose transpiler and source maps would add ~40 MiB to
 * the RSS the fleet benchmarks report.
 */
export function compiledChild(tsPath: string): string {
  if (!built) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(__dirname, 'tsconfig.child.json')],
      {
        stdio: 'inherit',
      },
    );
    // The bot reads its card templates, app package and message catalogs from the repository root, found from its
    // own folder (`src/cards` → `../../cards`); one level deeper here, so they are linked in.
    for (const dir of ['cards', 'appPackage', 'locales'])
      if (!existsSync(join(OUT, dir))) symlinkSync(join(ROOT, dir), join(OUT, dir), 'dir');
    built = true;
  }
  return join(OUT, relative(ROOT, tsPath)).replace(/\.ts$/, '.js');
}

/**
 * The Node flags production starts the bot with: those of `npm run start:prod` (package.json),
 * so a change there is what the benchmarks measure.
 */
export const BOT_NODE_FLAGS: string[] = process.env.BENCH_BOT_NODE_FLAGS
  ? // A dev aid for trying other flags; results from it are not the bot's as shipped.
    process.env.BENCH_BOT_NODE_FLAGS.split(' ').filter((f) => f !== '')
  : (() => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      const words = (pkg.scripts['start:prod'] ?? '').split(/\s+/);
      return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
    })();
