import type { Kysely } from 'kysely';
import type { Database, Role } from '../../../../db/schema.ts';

export interface StaffRefMatch {
  id: number;
  name: string;
  role: Role;
  teamId: number | null;
}

/**
 * The active staff members a typed reference names: `me`/`我`, `platform:userId`, `@username`, or a display name
 * (whole, case-insensitive). Several when a name is shared; empty when nobody matches.
 */
export async function findStaffByRef(
  db: Kysely<Database>,
  ref: string,
  self: number,
): Promise<StaffRefMatch[]> {
  const typed = ref.trim().replace(/^@(?=\S)/, '');
  const base = db
    .selectFrom('staff')
    .select(['staff.id', 'staff.display_name as name', 'staff.role', 'staff.team_id as teamId'])
    .where('staff.active', '=', 1);
  if (['me', '我', '自己'].includes(typed.toLowerCase())) return base.where('staff.id', '=', self).execute();
  const platformId = /^(telegram|wecom|feishu|web):(\S+)$/.exec(typed);
  const byIdentity = (column: 'external_id' | 'username', value: string, platform?: string) =>
    base.where('staff.id', 'in', (qb) => {
      let q = qb.selectFrom('staff_identities').select('staff_id').where(column, '=', value);
      if (platform) q = q.where('platform', '=', platform as never);
      return q;
    });
  if (platformId) return byIdentity('external_id', platformId[2] as string, platformId[1]).execute();
  if (ref.trim().startsWith('@')) return byIdentity('username', typed).execute();
  const lower = typed.toLowerCase();
  const byName = await base
    .where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['staff.display_name']), '=', lower),
        eb(
          'staff.id',
          'in',
          eb
            .selectFrom('staff_identities')
            .select('staff_id')
            .where(eb.fn('lower', ['display_name']), '=', lower),
        ),
      ]),
    )
    .execute();
  return byName.length > 0 ? byName : byIdentity('username', typed).execute();
}
