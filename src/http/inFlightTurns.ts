/**
 * Counts the turns being processed, so a shutdown can stop taking new ones and wait — within a
 * bound — for those already running to send their answers.
 */
export class InFlightTurns {
  private count = 0;
  private draining = false;
  private waiters: (() => void)[] = [];

  /** False once draining has started: new turns are refused (503) from then on. */
  get accepting(): boolean {
    return !this.draining;
  }

  get size(): number {
    return this.count;
  }

  /** Runs one turn, counted. */
  async run<T>(turn: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await turn();
    } finally {
      this.count--;
      if (this.count === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Stops accepting and resolves when every running turn is done, or after `timeoutMs`; true = all done. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    return done;
  }
}
