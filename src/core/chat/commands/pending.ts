import type { Selectable } from 'kysely';
import type { PendingRequestTable } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { Card, OutboundContent, OutboxItem } from '../../ports/outbound.ts';
import type { KnownStaff } from '../../records/staff/registry.ts';
import type { CommandChat, CommandOutcome, StaffRequest } from './command.ts';

export type PendingRequest = Selectable<PendingRequestTable>;

/** Runs one command line under the requester's permissions (the registry's runner). */
export type RunCommand = (deps: CoreDeps, req: StaffRequest) => Promise<CommandOutcome>;

/** How long a planned write waits for its confirmation. */
export const PENDING_TTL_MS = 10 * 60_000;

/**
 * Stores a plan for confirmation, once per request key (a redelivered message gets the same plan back), replacing
 * the staff member's older plans in that chat. Returns the stored row, and whether this call stored it.
 */
export async function savePendingRequest(
  deps: CoreDeps,
  req: StaffRequest,
  lang: Lang,
  commands: string[],
  summary: string,
): Promise<{ row: PendingRequest; created: boolean }> {
  const now = deps.clock.now();
  const inserted = await deps.db
    .insertInto('pending_requests')
    .values({
      request_key: req.key,
      staff_id: req.staff.id,
      platform: req.chat.platform,
      workspace: req.chat.workspace,
      chat_key: req.chat.key,
      chat: JSON.stringify(req.chat),
      commands: JSON.stringify(commands),
      summary,
      language: lang,
      status: 'pending',
      created_at: now,
      expires_at: now + PENDING_TTL_MS,
      decided_at: null,
      decided_key: null,
    })
    .onConflict((oc) => oc.column('request_key').doNothing())
    .executeTakeFirst();
  const row = await planOfRequest(deps, req.key);
  if (!row) throw new Error('pending request vanished after insert');
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (created) {
    // A newer plan replaces older ones in the chat, so a second "确认" can never apply a plan the rep moved on from.
    await deps.db
      .updateTable('pending_requests')
      .set({ status: 'cancelled', decided_at: now })
      .where('staff_id', '=', req.staff.id)
      .where('chat_key', '=', req.chat.key)
      .where('status', '=', 'pending')
      .where('id', '!=', row.id)
      .execute();
    await audit(deps.db, now, {
      actorKind: 'staff',
      actorStaffId: req.staff.id,
      action: 'assistant.planned',
      subjectKind: 'pending_request',
      subjectId: row.id,
      detail: { commands },
    });
  }
  return { row, created };
}

/** The plan an earlier delivery of this same request stored, if any. */
export async function planOfRequest(deps: CoreDeps, requestKey: string): Promise<PendingRequest | undefined> {
  return deps.db
    .selectFrom('pending_requests')
    .selectAll()
    .where('request_key', '=', requestKey)
    .executeTakeFirst();
}

/** Which plan a decision is about: the newest pending one in a chat ("确认"), or one by id (a card button). */
export type PendingTarget = { chatKey: string } | { id: number };

export type Decided =
  | { kind: 'applied'; row: PendingRequest; outcome: CommandOutcome }
  | { kind: 'cancelled'; row: PendingRequest }
  | { kind: 'expired' | 'decided'; row: PendingRequest }
  | { kind: 'none' };

/**
 * Confirms or cancels a staff member's planned write. The status moves out of `pending` by a conditional UPDATE
 * first, so two confirmations (a click and a typed "确认", or a double click) apply it once; a redelivered
 * confirmation (same key) re-runs the same command lines with the same keys, which the commands write once.
 */
export async function decidePending(
  deps: CoreDeps,
  staff: KnownStaff,
  target: PendingTarget,
  decision: 'confirm' | 'cancel',
  decisionKey: string,
  run: RunCommand,
): Promise<Decided> {
  const { db } = deps;
  const now = deps.clock.now();
  const row = await findTarget(deps, staff.id, target, decisionKey);
  if (!row) return { kind: 'none' };
  const again = row.decided_key === decisionKey;
  if (!again) {
    if (row.status !== 'pending') return { kind: 'decided', row };
    if (row.expires_at <= now) {
      await db
        .updateTable('pending_requests')
        .set({ status: 'expired', decided_at: now })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .execute();
      return { kind: 'expired', row };
    }
    const status = decision === 'confirm' ? 'applied' : 'cancelled';
    const claimed = await db
      .updateTable('pending_requests')
      .set({ status, decided_at: now, decided_key: decisionKey })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return { kind: 'decided', row };
    row.status = status;
    await audit(db, now, {
      actorKind: 'staff',
      actorStaffId: staff.id,
      action: decision === 'confirm' ? 'assistant.confirmed' : 'assistant.cancelled',
      subjectKind: 'pending_request',
      subjectId: row.id,
      detail: { commands: JSON.parse(row.commands) as string[] },
    });
  }
  if (row.status === 'cancelled') return { kind: 'cancelled', row };
  if (row.status !== 'applied') return { kind: 'decided', row };
  return { kind: 'applied', row, outcome: await applyCommands(deps, staff, row, run) };
}

/** Runs the plan's command lines one after the other; the reply is their replies together. */
async function applyCommands(
  deps: CoreDeps,
  staff: KnownStaff,
  row: PendingRequest,
  run: RunCommand,
): Promise<CommandOutcome> {
  const chat = JSON.parse(row.chat) as CommandChat;
  const commands = JSON.parse(row.commands) as string[];
  const replies: string[] = [];
  const queued: OutboxItem[] = [];
  for (const [i, text] of commands.entries()) {
    // Keyed by the plan, not the message that confirmed it: whichever way it is confirmed, each line writes once.
    const outcome = await run(deps, { staff, chat, text, key: `assistant:${row.id}:${i}` });
    replies.push(outcome.reply.text);
    queued.push(...outcome.queued);
  }
  return { reply: { text: replies.join('\n') }, queued };
}

async function findTarget(
  deps: CoreDeps,
  staffId: number,
  target: PendingTarget,
  decisionKey: string,
): Promise<PendingRequest | undefined> {
  const base = deps.db.selectFrom('pending_requests').selectAll().where('staff_id', '=', staffId);
  const decided = await base.where('decided_key', '=', decisionKey).executeTakeFirst();
  if (decided) return decided;
  if ('id' in target) return base.where('id', '=', target.id).executeTakeFirst();
  return base
    .where('chat_key', '=', target.chatKey)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** What the staff member is told about a decision that did not apply anything. */
export function decisionReply(decided: Decided, lang: Lang): string {
  const t = messages(lang).assistant;
  switch (decided.kind) {
    case 'none':
      return t.nothingPending;
    case 'expired':
      return t.expired;
    case 'decided':
      return t.alreadyDecided;
    case 'cancelled':
      return t.cancelled;
    case 'applied':
      return decided.outcome.reply.text;
  }
}

/** The plan, with Confirm / Cancel buttons where the platform shows cards (typing "确认" works everywhere). */
export function confirmationReply(
  id: number,
  summary: string,
  readTexts: string[],
  lang: Lang,
  queued: OutboxItem[] = [],
): CommandOutcome {
  const t = messages(lang).assistant;
  const card: Card = {
    title: t.planTitle,
    fields: [],
    sections: [...readTexts, summary].map((text) => ({ text })),
    buttons: [
      { label: t.confirmButton, value: { action: 'confirm_request', request: id }, primary: true },
      { label: t.cancelButton, value: { action: 'cancel_request', request: id } },
    ],
  };
  const reply: OutboundContent = { text: [...readTexts, summary].join('\n\n'), card };
  return { reply, queued };
}
