import { dueReminders, markDelivered } from '../core/reminders/deliver.ts';
import type { CoreDeps } from '../core/runtime.ts';
import { enqueue } from '../queue/outbox.ts';

/** One pass over due reminders: their messages go to the outbox, then they are marked delivered. */
export async function sweepReminders(core: CoreDeps, onSendsQueued: () => void): Promise<number> {
  const { sends, reminderIds } = await dueReminders(core);
  if (sends.length > 0) {
    await enqueue(core.db, sends, core.clock.now());
    onSendsQueued();
  }
  await markDelivered(core, reminderIds);
  return reminderIds.length;
}
