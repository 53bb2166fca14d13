import { Presets, SingleBar } from 'cli-progress';
import type { CliContext } from './command.ts';

/** Progress of one long step on stderr. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A bar redrawn in place when stderr is a terminal (cli-progress); otherwise a plain line at every tenth of the way,
 * so logs and CI output stay readable.
 */
export function startProgress(ctx: CliContext, label: string): Progress {
  if (ctx.interactive) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% {value}/{total} ({eta_formatted} left)`,
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.setTotal(total);
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      ctx.err(`${label}: ${tenth * 10}% (${done}/${total})`);
    },
    stop() {},
  };
}
