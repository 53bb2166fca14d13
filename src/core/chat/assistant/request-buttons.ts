import { type Lang, languageOf, messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { CardActionEvent } from '../../ports/events.ts';
import type { OutboundMessage, OutboxItem } from '../../ports/outbound.ts';
import { messageToStaff } from '../../records/staff/notify.ts';
import type { KnownStaff } from '../../records/staff/registry.ts';
import type { CommandChat } from '../commands/command.ts';
import { decidePending, decisionReply, type RunCommand } from '../commands/pending.ts';

/**
 * The Confirm / Cancel buttons of a planned write (`confirm_request` / `cancel_request` with the plan's id). Only
 * the staff member who asked can decide it: anyone else is told there is nothing waiting for them. The card is
 * redrawn without its buttons, and the commands' replies go to the chat the request came from.
 */
export async function handleRequestButton(
  deps: CoreDeps,
  staff: KnownStaff,
  ev: CardActionEvent,
  key: string,
  run: RunCommand,
): Promise<OutboxItem[]> {
  const id = Number(ev.value.request);
  const decision = ev.value.action === 'confirm_request' ? 'confirm' : 'cancel';
  const decided = Number.isSafeInteger(id)
    ? await decidePending(deps, staff, { id }, decision, key, run)
    : ({ kind: 'none' } as const);
  if (decided.kind !== 'applied' && decided.kind !== 'cancelled') {
    const text = (lang: Lang) => decisionReply(decided, lang);
    return messageToStaff(deps, staff.id, text, `${key}:told`, ev.platform);
  }
  const t = messages(languageOf(decided.row.language)).assistant;
  const commands = JSON.parse(decided.row.commands) as string[];
  const title = decided.kind === 'applied' ? t.appliedTitle : t.cancelledTitle;
  const sends: OutboundMessage[] = [];
  if (ev.messageId && ev.chatId) {
    sends.push({
      platform: ev.platform,
      workspace: ev.workspace,
      target: { kind: 'chat', chatId: ev.chatId, editMessageId: ev.messageId },
      content: {
        text: `${title}\n${commands.join('\n')}`,
        card: { title, fields: [], sections: [{ text: commands.join('\n') }], buttons: [] },
      },
      idempotencyKey: `${key}:redraw`,
    });
  }
  if (decided.kind === 'cancelled') return sends;
  const chat = JSON.parse(decided.row.chat) as CommandChat;
  sends.push({
    platform: chat.platform,
    workspace: chat.workspace,
    target: { kind: 'chat', chatId: chat.platformChatId, chatKind: chat.kind },
    content: decided.outcome.reply,
    idempotencyKey: `${key}:reply`,
  });
  // What the commands queued (tag mirroring, a brief to a new owner…) goes out with the reply.
  return [...sends, ...decided.outcome.queued];
}
