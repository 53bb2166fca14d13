import { messages } from '../../kernel/i18n/index.ts';
import { findStaffByRef, type StaffRefMatch } from '../../records/staff/staff-ref.ts';
import type { CommandContext } from './command.ts';

/** The one staff member a reference names, or the answer to give instead (nobody, or several with that name). */
export async function staffOrReply(
  ctx: CommandContext,
  ref: string,
): Promise<{ staff: StaffRefMatch; reply?: undefined } | { staff?: undefined; reply: string }> {
  const found = await findStaffByRef(ctx.deps.db, ref, ctx.staff.id);
  if (found.length === 1) return { staff: found[0] as StaffRefMatch };
  const t = messages(ctx.lang);
  if (found.length === 0) return { reply: t.staffArg.none(ref) };
  const list = found.map((s) => `${s.name} (${s.role})`).join(t.listSep);
  return { reply: t.staffArg.many(ref, list) };
}
