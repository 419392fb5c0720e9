/** A table to print: the first column is left-aligned, the others right-aligned. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: string[][];
}

/** What one benchmark reports: tables for the terminal, data for `bench/results/<name>.json`. */
export interface BenchResult {
  tables: BenchTable[];
  /** Written as JSON, with the benchmark's name and the time it ran. */
  data: Record<string, unknown>;
  /** Caveats printed under the tables (how a figure was measured, what it includes). */
  notes?: string[];
}

/** One benchmark: `npm run bench` runs each in turn; `--only <name>` picks one. */
export interface Benchmark {
  /** Also the results file's name: `bench/results/<name>.json`. */
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}
