import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies committed pages from the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 100;

/**
 * WAL pages after which the main connection checkpoints by itself, as SQLite does by default at 1,000: only when the
 * background connection is late or gone. 16,384 pages of 4 KiB bound the WAL file at 64 MiB.
 */
export const MAIN_CONNECTION_CHECKPOINT_PAGES = 16_384;

/** SQLite's own default, restored on the main connection if the background connection stops. */
const SQLITE_DEFAULT_CHECKPOINT_PAGES = 1_000;

// Plain CommonJS run in the worker (no TypeScript loader there): one connection that checkpoints without blocking
// the main connection's readers or writer (PASSIVE), says 'ready' after its first checkpoint and exits on the first
// failure, so the main connection takes checkpoints back.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let checkpointed = false;
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (!checkpointed) {
      checkpointed = true;
      parentPort.postMessage('ready');
    }
  } catch {
    clearInterval(timer);
    db.close();
    process.exit(1);
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  /** Stops the background connection (the main connection checkpoints on close as usual). */
  stop(): void;
}

/**
 * Moves WAL checkpoints off the main thread: a worker thread's own connection to `path` runs one every
 * CHECKPOINT_EVERY_MS. A checkpoint writes pages into the database file and syncs it; on the main connection it ran
 * inside whichever commit crossed 1,000 WAL pages (a commit of the inbox or a webhook's acknowledgement), which
 * doubled the commit's cost. `setMainCheckpointPages` sets the main connection's own threshold: the backstop once
 * the thread has checkpointed (a loaded host can take a second to start it), SQLite's default again if it stops.
 */
export function checkpointInBackground(
  path: string,
  setMainCheckpointPages: (pages: number) => void,
): BackgroundCheckpoints {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        everyMs: CHECKPOINT_EVERY_MS,
      },
    });
  } catch {
    return { stop() {} }; // no thread to be had: the main connection keeps SQLite's own checkpoints
  }
  worker.unref(); // a database left open must not keep the process alive
  let stopping = false;
  const giveBack = () => {
    if (!stopping) setMainCheckpointPages(SQLITE_DEFAULT_CHECKPOINT_PAGES);
  };
  worker.on('error', giveBack);
  worker.on('exit', giveBack);
  worker.once('message', () => {
    if (!stopping) setMainCheckpointPages(MAIN_CONNECTION_CHECKPOINT_PAGES);
  });
  return {
    stop() {
      stopping = true;
      worker.postMessage('stop');
    },
  };
}
