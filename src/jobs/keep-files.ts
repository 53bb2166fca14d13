import { dropOrphanFiles, keepDueFiles } from '../core/conversations/keep-files.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { QueueSettings } from './settings.ts';

/** How often files of messages that are gone (erased customers) are looked for and removed. */
const ORPHANS_EVERY_MS = 5 * 60_000;

/**
 * The step that keeps message attachments: fetches files queued when their messages were stored (after the webhook
 * was acknowledged), and now and then removes those whose message was erased. Returns how much it did; a runtime
 * without a storage does nothing (the files wait, and the doctor and metrics say attachments are not kept).
 */
export function fileKeeper(
  core: CoreDeps,
  settings: Pick<QueueSettings, 'leaseMs' | 'retryBaseMs' | 'retryMaxMs'>,
) {
  let orphansAt = Number.NEGATIVE_INFINITY;
  return async function step(): Promise<number> {
    if (!core.files) return 0;
    let done = await keepDueFiles(core, settings);
    if (core.clock.now() - orphansAt >= ORPHANS_EVERY_MS) {
      orphansAt = core.clock.now();
      done += await dropOrphanFiles(core);
    }
    return done;
  };
}
