import type { MessageFileStatus } from '../../../db/schema.ts';
import { audit } from '../kernel/audit.ts';
import { type Actor, auditedAs } from '../kernel/permissions/actor.ts';
import { reachCustomer } from '../kernel/permissions/reach.ts';
import type { CoreDeps } from '../kernel/runtime.ts';

/** How long a signed link to a kept file works. */
export const FILE_LINK_TTL_MS = 5 * 60_000;

/** What staff are told of a message's file: kept or why not, its size and type. */
export interface MessageFileView {
  status: MessageFileStatus;
  size: number | null;
  contentType: string | null;
}

/**
 * A signed link to the file of a message the actor may see (its customer, or a customer of the group chat it was
 * written in, within the actor's scope), valid FILE_LINK_TTL_MS; the read is audited. `missing`: no such message as
 * far as the actor may know; `not_kept`: the message has no kept file (the view says why, when there is one).
 */
export async function linkMessageFile(
  deps: CoreDeps,
  actor: Actor,
  messageId: number,
  secret: string,
): Promise<
  | { kind: 'missing' }
  | { kind: 'not_kept'; file: MessageFileView | null }
  | { kind: 'link'; token: string; expiresAt: number }
> {
  if (!Number.isSafeInteger(messageId) || !(await actorReachesMessage(deps, actor, messageId)))
    return { kind: 'missing' };
  const row = await deps.db
    .selectFrom('message_files')
    .select(['status', 'size', 'content_type'])
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  const file = row ? { status: row.status, size: row.size, contentType: row.content_type } : null;
  if (!deps.files || row?.status !== 'stored') return { kind: 'not_kept', file };
  const expiresAt = deps.clock.now() + FILE_LINK_TTL_MS;
  await audit(deps.db, deps.clock.now(), {
    ...auditedAs(actor),
    action: 'message.file_read',
    subjectKind: 'message',
    subjectId: messageId,
  });
  return { kind: 'link', token: await signLink(secret, messageId, expiresAt), expiresAt };
}

/** Whether the actor may see the message: its customer, or (in a customer group) any member, is in their scope. */
async function actorReachesMessage(deps: CoreDeps, actor: Actor, messageId: number): Promise<boolean> {
  const m = await deps.db
    .selectFrom('messages as m')
    .innerJoin('chats as c', 'c.id', 'm.chat_id')
    .select(['m.customer_id', 'm.chat_id', 'c.kind'])
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!m) return false;
  const members =
    m.kind === 'external_group'
      ? await deps.db
          .selectFrom('chat_members')
          .select('customer_id')
          .where('chat_id', '=', m.chat_id)
          .where('customer_id', 'is not', null)
          .execute()
      : [];
  const candidates = [m.customer_id, ...members.map((r) => r.customer_id)].filter(
    (id): id is number => id !== null,
  );
  if (candidates.length === 0) return actor.viewer === null;
  for (const id of new Set(candidates)) if (await reachCustomer(deps.db, actor, Number(id))) return true;
  return false;
}

/** A kept file, as served: its bytes, stored type and the name the platform gave it. */
export interface KeptFile {
  bytes: Uint8Array;
  contentType: string;
  name: string;
}

/** The kept file a signed link names, while the link is valid; null for a link tampered with, expired or of no file. */
export async function openFileLink(deps: CoreDeps, token: string, secret: string): Promise<KeptFile | null> {
  const messageId = await verifyLink(secret, token, deps.clock.now());
  return messageId === null ? null : keptFile(deps, messageId);
}

/**
 * The kept file of a message the actor may see, read directly (a signed-in page needs no link: its session is the
 * credential); the read is audited as a link is. Null: no such message in the actor's scope, or no kept file.
 */
export async function readMessageFile(
  deps: CoreDeps,
  actor: Actor,
  messageId: number,
): Promise<KeptFile | null> {
  if (!Number.isSafeInteger(messageId) || !(await actorReachesMessage(deps, actor, messageId))) return null;
  const file = await keptFile(deps, messageId);
  if (!file) return null;
  await audit(deps.db, deps.clock.now(), {
    ...auditedAs(actor),
    action: 'message.file_read',
    subjectKind: 'message',
    subjectId: messageId,
  });
  return file;
}

async function keptFile(deps: CoreDeps, messageId: number): Promise<KeptFile | null> {
  if (!deps.files) return null;
  const row = await deps.db
    .selectFrom('message_files as f')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .select(['f.storage_key', 'f.status', 'm.attachment'])
    .where('f.message_id', '=', messageId)
    .executeTakeFirst();
  if (row?.status !== 'stored' || !row.storage_key) return null;
  const stored = await deps.files.storage.get(row.storage_key);
  if (!stored) return null;
  return { ...stored, name: fileName(row.attachment, messageId) };
}

/** The name the platform gave the file, else `file-<message id>`. */
function fileName(attachment: string | null, messageId: number): string {
  try {
    const name = (JSON.parse(attachment ?? '{}') as { name?: unknown }).name;
    if (typeof name === 'string' && name.trim()) return name.trim().slice(0, 200);
  } catch {
    // an unreadable reference: the default name
  }
  return `file-${messageId}`;
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** The links' own HMAC key, derived from the server secret (never the secret itself). */
function linkKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey(
        'raw',
        encoder.encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const derived = await crypto.subtle.sign('HMAC', base, encoder.encode('liaison file links v1'));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]);
    })();
    keys.set(secret, key);
  }
  return key;
}

async function signLink(secret: string, messageId: number, expiresAt: number): Promise<string> {
  const payload = `${messageId}.${Math.floor(expiresAt / 1000)}`;
  const mac = await crypto.subtle.sign('HMAC', await linkKey(secret), encoder.encode(payload));
  return `${payload}.${base64url(new Uint8Array(mac))}`;
}

/** The message id a link names, when its MAC is right (checked in constant time) and it has not expired. */
async function verifyLink(secret: string, token: string, now: number): Promise<number | null> {
  const parts = /^(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!parts) return null;
  const [, id, expires, mac] = parts as unknown as [string, string, string, string];
  const macBytes = fromBase64url(mac);
  // Base64 has spare bits in its last character: only the one spelling of the MAC is taken.
  if (!macBytes || base64url(macBytes) !== mac) return null;
  const ok = await crypto.subtle.verify(
    'HMAC',
    await linkKey(secret),
    macBytes,
    encoder.encode(`${id}.${expires}`),
  );
  if (!ok || Number(expires) * 1000 <= now) return null;
  return Number(id);
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
