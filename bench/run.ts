/**
 * `npm run bench [-- --only <name>]` (or `npm run bench -- <name>`): runs the benchmarks in sequence, prints each one's tables
 * and writes its data to `bench/results/<name>.json`. A benchmark is a module exporting a
 * `Benchmark`; add it to `BENCHMARKS`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Benchmark } from './benchTypes';
import { broadcast } from './broadcast';
import { broadcastMulti } from './broadcastMulti';
import { checkDevice } from './checkDevice';
import { fleetLoad } from './fleetLoad';
import { fleetSnapshot } from './fleetSnapshot';
import { formatTable } from './formatTable';
import { load } from './load';
import { soak } from './soak';
import { webhookBurst } from './webhookBurst';

const BENCHMARKS: Benchmark[] = [
  fleetLoad,
  checkDevice,
  load,
  broadcast,
  broadcastMulti,
  fleetSnapshot,
  webhookBurst,
  soak,
];
const RESULTS_DIR = join(__dirname, 'results');

function selected(argv: string[]): Benchmark[] {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  // `npm run bench -- fleet-snapshot` works as `--only fleet-snapshot` does.
  const bare = argv.filter((a) => !a.startsWith('-')).join(',');
  if (i === -1 && bare === '') return BENCHMARKS;
  const arg = argv[i] ?? '';
  const names = (
    i === -1 ? bare : arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[i + 1] ?? '')
  ).split(',');
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0 || names.every((n) => n === '')) {
    throw new Error(
      `Unknown benchmark ${JSON.stringify(unknown.join(','))}; choose from: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
    );
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

async function main(): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  for (const bench of selected(process.argv.slice(2))) {
    console.log(`\n== ${bench.name}: ${bench.description}\n`);
    const ranAt = new Date().toISOString();
    const result = await bench.run();
    for (const table of result.tables) console.log(`${formatTable(table)}\n`);
    for (const note of result.notes ?? []) console.log(`* ${note}`);
    const file = join(RESULTS_DIR, `${bench.name}.json`);
    await writeFile(file, `${JSON.stringify({ benchmark: bench.name, ranAt, ...result.data }, null, 2)}\n`);
    console.log(`\nresults: ${relative(process.cwd(), file)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
