import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies committed pages from the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 100;

/**
 * WAL pages after which the main connection checkpoints by itself, as SQLite does by default at 1,000. 16,384 pages
 * of 4 KiB bound the WAL file at 64 MiB. Under steady writes it is reached all the same: the background connection
 * copies pages only up to where the main one reads, and the WAL starts over only when a transaction begins with every
 * page copied; here that checkpoint has little left to copy.
 */
export const MAIN_CONNECTION_CHECKPOINT_PAGES = 16_384;

/** SQLite's own default, restored on the main connection if the background connection stops. */
const SQLITE_DEFAULT_CHECKPOINT_PAGES = 1_000;

/** A WAL file larger than this is cut back once writes pause (by the main connection itself without the thread). */
export const WAL_FILE_KEPT_BYTES = 16 * 1024 * 1024;

/** How long no other connection must have committed before the background connection truncates the WAL file. */
export const WAL_QUIET_MS = 2_000;

// Plain CommonJS run in the worker (no TypeScript loader there): one connection that checkpoints without blocking
// the main connection's readers or writer (PASSIVE), says 'ready' after its first checkpoint and exits on the first
// failure, so the main connection takes checkpoints back. A WAL file grown past keptBytes is truncated only once no
// commit has come for quietMs: TRUNCATE holds the writer's lock while the file system frees the blocks.
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const walBytes = () => {
  try {
    return statSync(workerData.path + '-wal').size;
  } catch {
    return 0;
  }
};
let checkpointed = false;
let version = db.pragma('data_version', { simple: true });
let quietSince = Date.now();
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    const seen = db.pragma('data_version', { simple: true });
    if (seen !== version) {
      version = seen;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= workerData.quietMs && walBytes() > workerData.keptBytes) {
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
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

/** What the main connection does itself: checkpoint past `checkpointPages`, and cut the WAL file back when it restarts. */
export interface MainConnectionDuties {
  checkpointPages: number;
  /** SQLite's journal_size_limit: bytes of WAL file kept when the WAL restarts; -1 keeps the whole file. */
  walBytesKeptOnRestart: number;
}

/** The main connection's duties while no background connection runs: SQLite's own checkpoints, and the WAL cut back. */
export const MAIN_CONNECTION_ALONE: MainConnectionDuties = {
  checkpointPages: SQLITE_DEFAULT_CHECKPOINT_PAGES,
  walBytesKeptOnRestart: WAL_FILE_KEPT_BYTES,
};

/** Beside the background connection: only the 64 MiB backstop, and no truncation (the thread truncates when quiet). */
const MAIN_CONNECTION_BESIDE_THREAD: MainConnectionDuties = {
  checkpointPages: MAIN_CONNECTION_CHECKPOINT_PAGES,
  walBytesKeptOnRestart: -1,
};

/**
 * Moves WAL checkpoints off the main thread: a worker thread's own connection to `path` runs one every
 * CHECKPOINT_EVERY_MS. A checkpoint writes pages into the database file and syncs it; on the main connection it ran
 * inside whichever commit crossed 1,000 WAL pages (a commit of the inbox or a webhook's acknowledgement), which
 * doubled the commit's cost. So does cutting the WAL file back: on this machine's disk, truncating a burst's WAL to
 * 16 MiB inside a commit took 20–80 ms, every few seconds under a steady 1,000 webhooks a second, while every
 * request waited. `setMainDuties` sets what the main connection keeps doing: once the thread has checkpointed (a
 * loaded host can take a second to start it), only the 64 MiB backstop and no truncation (the thread truncates when
 * writes pause); SQLite's defaults and the cut-back again if it stops.
 */
export function checkpointInBackground(
  path: string,
  setMainDuties: (duties: MainConnectionDuties) => void,
): BackgroundCheckpoints {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        path,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        everyMs: CHECKPOINT_EVERY_MS,
        quietMs: WAL_QUIET_MS,
        keptBytes: WAL_FILE_KEPT_BYTES,
      },
    });
  } catch {
    return { stop() {} }; // no thread to be had: the main connection keeps SQLite's own checkpoints
  }
  worker.unref(); // a database left open must not keep the process alive
  let stopping = false;
  const giveBack = () => {
    if (!stopping) setMainDuties(MAIN_CONNECTION_ALONE);
  };
  worker.on('error', giveBack);
  worker.on('exit', giveBack);
  worker.once('message', () => {
    if (!stopping) setMainDuties(MAIN_CONNECTION_BESIDE_THREAD);
  });
  return {
    stop() {
      stopping = true;
      worker.postMessage('stop');
    },
  };
}
