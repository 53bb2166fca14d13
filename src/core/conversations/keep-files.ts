import type { Kysely } from 'kysely';
import type { Database, MessageFileStatus } from '../../../db/schema.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import { refusalOf } from '../ports/adapter.ts';
import { sniffFileType } from './file-types.ts';

/** How often a file is tried before it is given up as failed. */
const MAX_ATTEMPTS = 8;
/** Files looked at per step; each is one download. */
const BATCH = 10;
/** A claim outlives the longest download (60 s), so no other instance fetches the same file meanwhile. */
const MIN_CLAIM_MS = 90_000;

export interface KeepFilesOptions {
  /** How long a claimed file stays with this instance before another may try it. */
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/** Queues the file a newly stored message carries, to be fetched after the acknowledgement (once per message). */
export async function queueMessageFile(db: Kysely<Database>, messageId: number, now: number): Promise<void> {
  await db
    .insertInto('message_files')
    .values({
      message_id: messageId,
      status: 'pending',
      storage_key: null,
      content_type: null,
      size: null,
      attempts: 0,
      retry_at: 0,
      last_error: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/**
 * Fetches due files from their platforms and keeps them: checked against the size limit while downloading and against
 * the allow-list by their own bytes, then put in the storage. A transient failure is tried again with backoff; a file
 * too large or of a type not allowed is refused for good. Without a storage nothing is fetched (the rows wait).
 * Returns how many files it settled or rescheduled.
 */
export async function keepDueFiles(deps: CoreDeps, o: KeepFilesOptions): Promise<number> {
  if (!deps.files) return 0;
  const now = deps.clock.now();
  const due = await deps.db
    .selectFrom('message_files as f')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .innerJoin('chats as c', 'c.id', 'm.chat_id')
    .select([
      'f.id',
      'f.message_id',
      'f.attempts',
      'f.retry_at',
      'm.platform',
      'm.platform_message_id',
      'm.attachment',
      'c.kind as chat_kind',
      'c.platform_chat_id',
    ])
    .where('f.status', '=', 'pending')
    .where('f.retry_at', '<=', now)
    .orderBy('f.retry_at')
    .orderBy('f.id')
    .limit(BATCH)
    .execute();
  let done = 0;
  for (const row of due) {
    // Claimed by moving its time on: another instance that read the same row finds it changed and skips it.
    const claimed = await deps.db
      .updateTable('message_files')
      .set({ retry_at: now + Math.max(o.leaseMs, MIN_CLAIM_MS), updated_at: now })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('retry_at', '=', row.retry_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    await keepOne(deps, o, row);
    done++;
  }
  return done;
}

type DueFile = {
  id: number;
  message_id: number;
  attempts: number;
  platform: string;
  platform_message_id: string;
  attachment: string | null;
  chat_kind: string;
  platform_chat_id: string;
};

async function keepOne(deps: CoreDeps, o: KeepFilesOptions, f: DueFile): Promise<void> {
  const files = deps.files;
  if (!files) return;
  const settle = (status: MessageFileStatus, fields: { last_error: string; size?: number }) =>
    deps.db
      .updateTable('message_files')
      .set({ status, attempts: f.attempts + 1, updated_at: deps.clock.now(), ...fields })
      .where('id', '=', f.id)
      .execute();
  const attachment = parseAttachment(f.attachment);
  const media = deps.adapters.get(f.platform)?.media;
  if (!attachment)
    return void (await settle('failed', { last_error: 'the message carries no file reference' }));
  if (!media) return void (await settle('failed', { last_error: 'the platform is off or serves no files' }));
  try {
    const got = await media.fetch({
      attachment,
      messageId: f.platform_message_id,
      chat: { kind: f.chat_kind, platformChatId: f.platform_chat_id },
      maxBytes: files.maxBytes,
    });
    if (got.kind === 'too_large')
      return void (await settle('refused', {
        last_error: `over the limit of ${files.maxBytes} bytes`,
        ...(got.size !== null ? { size: got.size } : {}),
      }));
    const type = sniffFileType(got.bytes, { contentType: got.contentType, ...attachment });
    if (!type)
      return void (await settle('refused', {
        last_error:
          'not an allowed type (its bytes are not a picture, audio, video, PDF, office document, text or zip)',
        size: got.bytes.byteLength,
      }));
    const key = `messages/${f.message_id}/${crypto.randomUUID()}`;
    await files.storage.put(key, got.bytes, type);
    await deps.db
      .updateTable('message_files')
      .set({
        status: 'stored',
        storage_key: key,
        content_type: type,
        size: got.bytes.byteLength,
        attempts: f.attempts + 1,
        last_error: null,
        updated_at: deps.clock.now(),
      })
      .where('id', '=', f.id)
      .execute();
  } catch (error) {
    const refusal = refusalOf(error);
    const attempts = f.attempts + 1;
    // Errors that say nothing (no code) may be passing faults too: tried again, within the attempts.
    const retry = (refusal.retryable || refusal.code === null) && attempts < MAX_ATTEMPTS;
    const message = refusal.message.slice(0, 300);
    if (!retry) return void (await settle('failed', { last_error: message }));
    await deps.db
      .updateTable('message_files')
      .set({
        attempts,
        last_error: message,
        retry_at: deps.clock.now() + Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** (attempts - 1)),
        updated_at: deps.clock.now(),
      })
      .where('id', '=', f.id)
      .execute();
    deps.logger.warn(
      { messageId: f.message_id, attempts, error: message },
      'attachment fetch failed; retrying',
    );
  }
}

function parseAttachment(stored: string | null): { type: string; key: string; name?: string } | null {
  if (!stored) return null;
  try {
    const a = JSON.parse(stored) as { type?: unknown; key?: unknown; name?: unknown };
    if (typeof a.type !== 'string' || typeof a.key !== 'string' || !a.key) return null;
    return { type: a.type, key: a.key, ...(typeof a.name === 'string' ? { name: a.name } : {}) };
  } catch {
    return null;
  }
}

/**
 * Files whose message is gone (a customer erased, a message deleted for privacy): removed from the storage and
 * forgotten, so an erased customer's pictures do not outlive their record. Returns how many it removed.
 */
export async function dropOrphanFiles(deps: CoreDeps): Promise<number> {
  if (!deps.files) return 0;
  const orphans = await deps.db
    .selectFrom('message_files as f')
    .leftJoin('messages as m', 'm.id', 'f.message_id')
    .select(['f.id', 'f.storage_key'])
    .where('m.id', 'is', null)
    .limit(50)
    .execute();
  for (const o of orphans) {
    if (o.storage_key) await deps.files.storage.delete(o.storage_key);
    await deps.db.deleteFrom('message_files').where('id', '=', o.id).execute();
  }
  return orphans.length;
}

/** How many message files are in each status, for metrics and the doctor. */
export async function fileCounts(db: Kysely<Database>): Promise<Record<MessageFileStatus, number>> {
  const rows = await db
    .selectFrom('message_files')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<MessageFileStatus, number> = { pending: 0, stored: 0, failed: 0, refused: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
