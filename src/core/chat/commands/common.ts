import { type AuditEntry, audit } from '../../kernel/audit.ts';
import { type Catalogue, inEach, messages } from '../../kernel/i18n/index.ts';
import type { Command, CommandContext } from './command.ts';

/** "Usage: …" in the asker's language. */
export const usage = (ctx: CommandContext, u: string): string => messages(ctx.lang).usage(u);

type Commands = Catalogue['commands'];
/** The commands whose catalogue entry has a usage line and a summary for `/help`. */
export type HelpedCommand = {
  [K in keyof Commands]: Commands[K] extends { usage: string; summary: string } ? K : never;
}[keyof Commands];

/** A command's usage line and `/help` summary in every language, from the catalogue. */
export const helpOf = (name: HelpedCommand): Pick<Command, 'usage' | 'summary'> => ({
  usage: inEach((lang) => messages(lang).commands[name].usage),
  summary: inEach((lang) => messages(lang).commands[name].summary),
});

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
