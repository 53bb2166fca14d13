import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Viewer } from '../../src/core/kernel/permissions/scope.ts';
import type { SegmentFilter } from '../../src/core/reading/segments/segments.ts';

const DAY = 86_400_000;
const REACHED = new Set(['queued', 'sent', 'delivered']);

/** Every row a segment can depend on, read plainly from the database. */
export async function loadRows(db: Kysely<Database>) {
  return {
    customers: await db.selectFrom('customers').selectAll().execute(),
    staff: await db.selectFrom('staff').select(['id', 'team_id']).execute(),
    teams: await db.selectFrom('teams').select(['id', 'parent_id']).execute(),
    tags: await db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select(['customer_tags.customer_id', 'tags.name'])
      .execute(),
    identities: await db.selectFrom('identities').select(['customer_id', 'platform']).execute(),
    sources: await db.selectFrom('customer_sources').select(['customer_id', 'code']).execute(),
    deals: await db.selectFrom('deals').select(['customer_id', 'stage', 'closed_at']).execute(),
    relations: await db
      .selectFrom('contact_relations')
      .select(['customer_id', 'status', 'lost_at'])
      .execute(),
    campaigns: await db.selectFrom('campaigns').select(['id', 'started_at', 'window_days']).execute(),
    recipients: await db
      .selectFrom('campaign_recipients')
      .select(['campaign_id', 'customer_id', 'status', 'queued_at', 'sent_at'])
      .execute(),
    inbound: await db
      .selectFrom('messages')
      .select(['customer_id', 'sent_at'])
      .where('direction', '=', 'in')
      .execute(),
  };
}

export type Rows = Awaited<ReturnType<typeof loadRows>>;

/**
 * The members of a segment computed in plain JavaScript over the rows, without SQL: the independent answer the
 * segment queries are checked against. Ids ascending.
 */
export function expectedMembers(
  rows: Rows,
  filter: SegmentFilter,
  viewer: Viewer | null,
  now: number,
): number[] {
  const by = <T extends { customer_id: number | null }>(items: T[]) => {
    const map = new Map<number, T[]>();
    for (const i of items)
      if (i.customer_id !== null) map.set(i.customer_id, [...(map.get(i.customer_id) ?? []), i]);
    return (id: number) => map.get(id) ?? [];
  };
  const tagsOf = by(rows.tags);
  const identitiesOf = by(rows.identities);
  const sourcesOf = by(rows.sources);
  const dealsOf = by(rows.deals);
  const relationsOf = by(rows.relations);
  const recipientsOf = by(rows.recipients);
  const inboundOf = by(rows.inbound);
  const campaign = new Map(rows.campaigns.map((c) => [c.id, c]));
  const teamOf = new Map(rows.staff.map((s) => [s.id, s.team_id]));
  const subtree = (teamId: number): Set<number> => {
    const out = new Set([teamId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of rows.teams)
        if (t.parent_id !== null && out.has(t.parent_id) && !out.has(t.id)) {
          out.add(t.id);
          grew = true;
        }
    }
    return out;
  };
  const inTeams = (owner: number | null, teams: number[]) =>
    owner !== null && teams.some((t) => subtree(t).has(teamOf.get(owner) ?? -1));
  const visible = (owner: number | null): boolean => {
    if (!viewer || viewer.role === 'admin' || viewer.role === 'director') return true;
    if (owner === null || owner === viewer.staffId) return true;
    return viewer.role === 'manager' && viewer.teamId !== null && inTeams(owner, [viewer.teamId]);
  };
  const repliedToLast = (id: number): boolean | null => {
    const reached = recipientsOf(id)
      .filter((r) => REACHED.has(r.status) && campaign.get(r.campaign_id)?.started_at != null)
      .sort((a, b) => {
        const ca = campaign.get(a.campaign_id)!;
        const cb = campaign.get(b.campaign_id)!;
        return (cb.started_at ?? 0) - (ca.started_at ?? 0) || cb.id - ca.id;
      });
    const last = reached[0];
    if (!last) return null;
    const base = last.sent_at ?? last.queued_at;
    if (base === null) return false;
    const end = base + campaign.get(last.campaign_id)!.window_days * DAY;
    return inboundOf(id).some((m) => m.sent_at > base && m.sent_at <= end);
  };

  const f = filter;
  return rows.customers
    .filter((c) => {
      if (c.merged_into_id !== null || !visible(c.owner_staff_id)) return false;
      const dnc = f.doNotContact ?? 'exclude';
      if (dnc === 'exclude' && c.do_not_contact !== 0) return false;
      if (dnc === 'only' && c.do_not_contact !== 1) return false;
      const tags = new Set(tagsOf(c.id).map((t) => t.name));
      if (f.tags?.all && !f.tags.all.every((t) => tags.has(t))) return false;
      if (f.tags?.any && !f.tags.any.some((t) => tags.has(t))) return false;
      if (f.tags?.none?.some((t) => tags.has(t))) return false;
      if (f.stages && !f.stages.includes(c.stage)) return false;
      if (f.excludeStages?.includes(c.stage)) return false;
      if (f.valueTiers && !(f.valueTiers as string[]).includes(c.value_tier ?? '')) return false;
      if (f.owners && !f.owners.includes(c.owner_staff_id ?? -1)) return false;
      if (f.teams && !inTeams(c.owner_staff_id, f.teams)) return false;
      if (f.unowned !== undefined && f.unowned !== (c.owner_staff_id === null)) return false;
      if (f.platforms && !identitiesOf(c.id).some((i) => f.platforms!.includes(i.platform))) return false;
      if (f.sources && !sourcesOf(c.id).some((s) => f.sources!.includes(s.code))) return false;
      const lc = f.lastContact;
      if (lc && 'never' in lc && c.last_contact_at !== null) return false;
      if (
        lc &&
        'withinDays' in lc &&
        !(c.last_contact_at !== null && c.last_contact_at >= now - lc.withinDays * DAY)
      )
        return false;
      if (
        lc &&
        'olderThanDays' in lc &&
        !(c.last_contact_at !== null && c.last_contact_at < now - lc.olderThanDays * DAY)
      )
        return false;
      const deals = dealsOf(c.id);
      if (f.deals && 'none' in f.deals && deals.length > 0) return false;
      if (f.deals && 'won' in f.deals) {
        const since = f.deals.withinDays === undefined ? null : now - f.deals.withinDays * DAY;
        const won = deals.some(
          (d) => d.stage === 'won' && (since === null || (d.closed_at !== null && d.closed_at >= since)),
        );
        if (!won) return false;
      }
      if (f.repliedToLastCampaign !== undefined) {
        const replied = repliedToLast(c.id);
        if (replied === null || replied !== f.repliedToLastCampaign) return false;
      }
      if (f.lost) {
        const since = now - f.lost.withinDays * DAY;
        const byStage = c.stage === 'lost' && c.updated_at >= since;
        const byRelation = relationsOf(c.id).some(
          (r) => r.status === 'lost' && r.lost_at !== null && r.lost_at >= since,
        );
        if (!byStage && !byRelation) return false;
      }
      return true;
    })
    .map((c) => c.id)
    .sort((a, b) => a - b);
}
