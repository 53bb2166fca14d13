import { findStaffByRef, type StaffRefMatch } from '../staff/staff-ref.ts';
import type { CommandContext } from './command.ts';

/** The one staff member a reference names, or the answer to give instead (nobody, or several with that name). */
export async function staffOrReply(
  ctx: CommandContext,
  ref: string,
): Promise<{ staff: StaffRefMatch; reply?: undefined } | { staff?: undefined; reply: string }> {
  const found = await findStaffByRef(ctx.deps.db, ref, ctx.staff.id);
  if (found.length === 1) return { staff: found[0] as StaffRefMatch };
  if (found.length === 0) {
    return {
      reply:
        ctx.lang === 'zh'
          ? `没有找到员工「${ref}」。可以用姓名、@用户名或 平台:用户ID（例如 telegram:111）。`
          : `No staff member "${ref}". Use a name, @username or platform:userId (e.g. telegram:111).`,
    };
  }
  const list = found.map((s) => `${s.name} (${s.role})`).join(ctx.lang === 'zh' ? '、' : ', ');
  return {
    reply:
      ctx.lang === 'zh'
        ? `「${ref}」对应多位员工：${list}。请用 @用户名 或 平台:用户ID。`
        : `"${ref}" names several staff: ${list}. Use @username or platform:userId.`,
  };
}
