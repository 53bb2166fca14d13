import { type Lang, messages } from '../kernel/i18n/index.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { MemberLeftEvent, Platform } from '../ports/events.ts';
import type { OutboundMessage } from '../ports/outbound.ts';
import { ownedGroupIds } from '../records/staff/handover.ts';
import { messageToStaff } from '../records/staff/notify.ts';
import { ensureBrandStaff } from '../records/staff/registry.ts';

/** Customers a departure notice names one by one; the rest are counted. */
const LISTED = 20;
/** Pages of the platform's unassigned list read per night, at most (1,000 entries a page on WeCom). */
const DEPARTED_PAGES = 50;

/**
 * A member left (WeCom `delete_user`): their customers and customer groups are listed to their manager, with the one
 * command that hands them over. Once per member: the notice's idempotency key is the member's, so a redelivery or
 * the nightly unassigned list finding the same departure again queues nothing new.
 */
export async function handleMemberLeft(deps: CoreDeps, ev: MemberLeftEvent): Promise<OutboundMessage[]> {
  return noticeOfDeparture(deps, ev.platform, ev.member.workspace, ev.member.externalId, []);
}

/**
 * The nightly look at the platform's list of customers awaiting a successor (WeCom `get_unassigned_list`): a member
 * whose departure Liaison missed is listed to their manager like one it saw.
 */
export async function reconcileDepartures(deps: CoreDeps): Promise<OutboundMessage[]> {
  const sends: OutboundMessage[] = [];
  for (const [platform, adapter] of deps.adapters) {
    const bulk = adapter.contacts?.bulk;
    if (!bulk?.listDeparted) continue;
    const byMember = new Map<string, string[]>();
    let cursor = '';
    try {
      for (let page = 0; page < DEPARTED_PAGES; page++) {
        const { items, nextCursor } = await bulk.listDeparted(cursor);
        for (const i of items)
          byMember.set(i.memberId, [...(byMember.get(i.memberId) ?? []), i.customerExternalId]);
        cursor = nextCursor;
        if (!cursor) break;
      }
    } catch (error) {
      deps.logger.warn(
        { platform, error: error instanceof Error ? error.message : 'error' },
        'departed members not read; tried again next night',
      );
      continue;
    }
    for (const [member, customers] of byMember)
      sends.push(
        ...(await noticeOfDeparture(
          deps,
          adapter.platform,
          adapter.peopleWorkspace ?? adapter.workspace,
          member,
          customers,
        )),
      );
  }
  return sends;
}

async function noticeOfDeparture(
  deps: CoreDeps,
  platform: Platform,
  workspace: string,
  member: string,
  listedByPlatform: string[],
): Promise<OutboundMessage[]> {
  const { db, clock } = deps;
  const departed = await ensureBrandStaff(db, platform, { externalId: member, workspace }, clock.now());
  const key = `departure:${platform}:${workspace}:${member}`;
  // Customers Liaison holds for the member, and those the platform says wait for a successor.
  const held = await db
    .selectFrom('contact_relations as r')
    .innerJoin('identities as i', 'i.id', 'r.identity_id')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select(['c.id', 'c.display_name', 'i.external_id'])
    .where('i.platform', '=', platform)
    .where('r.member_external_id', '=', member)
    .where('r.status', '=', 'active')
    .orderBy('c.id')
    .execute();
  const known = new Set(held.map((c) => c.external_id));
  const unknown = [...new Set(listedByPlatform)].filter((id) => !known.has(id)).length;
  // One line per customer (a merged record may hold several of the member's identities).
  const seen = new Set<number>();
  const customers = held.filter((c) => !seen.has(c.id) && seen.add(c.id));
  const groups = await groupsOf(deps, platform, member);
  const total = customers.length + unknown;
  if (total === 0 && groups === 0) return [];

  const recipients = await managersOf(deps, departed.team_id);
  const text = (lang: Lang) => {
    const t = messages(lang).commands.handover;
    const lines = customers.slice(0, LISTED).map((c) => `#${c.id} ${c.display_name}`);
    // Customers the platform lists that Liaison never stored are counted, not named.
    if (total > lines.length) lines.push(t.departedMore(total - lines.length));
    const name = departed.display_name === member ? member : `${departed.display_name} (${member})`;
    return t.departed(name, total, groups, lines.join('\n'), `${platform}:${member}`);
  };
  const sends: OutboundMessage[] = [];
  for (const staffId of recipients)
    sends.push(...(await messageToStaff(deps, staffId, text, `${key}:${staffId}`)));
  return sends;
}

/** How many customer groups the member owns on the platform (read live; 0 where it cannot say). */
async function groupsOf(deps: CoreDeps, platform: Platform, member: string): Promise<number> {
  const bulk = deps.adapters.get(platform)?.contacts?.bulk;
  if (!bulk) return 0;
  try {
    return (await ownedGroupIds(bulk, member)).length;
  } catch (error) {
    deps.logger.warn(
      { platform, error: error instanceof Error ? error.message : 'error' },
      'groups not read',
    );
    return 0;
  }
}

/** The managers of the departed member's team, else the active admins. */
async function managersOf(deps: CoreDeps, teamId: number | null): Promise<number[]> {
  const managers =
    teamId === null
      ? []
      : await deps.db
          .selectFrom('staff')
          .select('id')
          .where('role', '=', 'manager')
          .where('team_id', '=', teamId)
          .where('active', '=', 1)
          .execute();
  if (managers.length > 0) return managers.map((m) => m.id);
  const admins = await deps.db
    .selectFrom('staff')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
  return admins.map((a) => a.id);
}
