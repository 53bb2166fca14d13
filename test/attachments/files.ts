import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageFileStatus } from '../../db/schema.ts';
import { API_TOKEN, type Harness, waitFor } from '../helpers/harness.ts';

/** Bytes that start like a JPEG photo, a PNG picture, a PDF, and a Windows executable (MZ), padded to `size`. */
const padded = (head: number[], size: number, fill = 0x41) => {
  const bytes = Buffer.alloc(size, fill);
  Buffer.from(head).copy(bytes);
  return bytes;
};
export const jpeg = (size = 3_000) =>
  padded([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46], size);
export const png = (size = 2_000) => padded([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
export const pdf = (size = 5_000) => padded([...Buffer.from('%PDF-1.7\n')], size);
export const exe = (size = 2_000) => padded([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00], size, 0x00);

/** A fresh folder for ATTACHMENTS_DIR, and its removal. */
export function tempFolder(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-files-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every file under `dir` (the kept files and their `.type` companions), as paths relative to it. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, rel)).isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

/** The id of the message of this platform message id. */
export async function messageIdOf(h: Harness, platformMessageId: string | number): Promise<number> {
  const row = await waitFor(() =>
    h.db
      .selectFrom('messages')
      .select('id')
      .where('platform_message_id', '=', String(platformMessageId))
      .executeTakeFirst(),
  );
  return Number(row.id);
}

/** Waits until the message's file settles (anything but pending), and returns its row. */
export async function settledFile(h: Harness, messageId: number, timeoutMs = 5_000) {
  return waitFor(async () => {
    const row = await h.db
      .selectFrom('message_files')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row && row.status !== 'pending' ? row : undefined;
  }, timeoutMs);
}

/** `GET /api/messages/{id}/file` without following the redirect. */
export function askForFile(h: Harness, messageId: number, token = API_TOKEN) {
  return fetch(`${h.url}/api/messages/${messageId}/file`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
}

/** Follows a signed link (no bearer token: the link is the credential). */
export function openLink(h: Harness, location: string) {
  return fetch(new URL(location, h.url));
}

export type { MessageFileStatus };
