import { type AuditEntry, audit } from '../audit.ts';
import type { CommandContext } from './command.ts';

/** "Usage: …" in the asker's language. */
export const usage = (ctx: CommandContext, u: string): string =>
  ctx.lang === 'zh' ? `用法：${u}` : `Usage: ${u}`;

/** Records a staff member's write (or unmasked read) with the channel it came through. */
export function auditCommand(
  ctx: CommandContext,
  e: Omit<AuditEntry, 'actorKind' | 'actorStaffId' | 'via'>,
): Promise<void> {
  return audit(ctx.deps.db, ctx.deps.clock.now(), {
    ...e,
    actorKind: 'staff',
    actorStaffId: ctx.staff.id,
    via: ctx.chat.platform,
  });
}

/** Splits a list typed as words, commas or 、: `高意向, VIP 、复购` → three items. */
export const splitList = (s: string): string[] =>
  s
    .split(/[\s,，、;；]+/)
    .map((x) => x.trim())
    .filter(Boolean);
