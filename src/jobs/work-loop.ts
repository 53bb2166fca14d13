import { nextTurn } from '../lib/next-turn.ts';

/**
 * Runs `step` again and again while it finds work, then sleeps until `idleMs` passes or `kick()` is called. Between
 * two steps it lets waiting requests run: on a synchronous driver (SQLite) a step's queries resolve without ever
 * yielding, so a loop with a backlog held webhook acknowledgements for ~100 ms at a time.
 * Uses only timers and promises, so it runs the same on Node and Workers.
 */
export class WorkLoop {
  private running = false;
  private current: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;

  constructor(
    private readonly step: () => Promise<number>,
    private readonly idleMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.current = this.run();
  }

  /** Wakes the loop now (new work was just stored). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.current;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let done = 0;
      try {
        this.kicked = false;
        done = await this.step();
      } catch (error) {
        this.onError(error);
      }
      if (!this.running) continue;
      if (done > 0 || this.kicked) {
        await nextTurn();
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.idleMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }
}
