import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { customerScope, subtreeQuery, type Viewer } from '../../kernel/permissions/scope.ts';
import type { SegmentFilter } from './filter.ts';

const DAY = 86_400_000;
/** Recipient statuses that mean the campaign reached the customer. */
export const REACHED = ['queued', 'sent', 'delivered'] as const;

type Eb = ExpressionBuilder<Database, 'customers'>;

/**
 * The WHERE condition selecting a segment's members from `customers`: every condition of the filter, with
 * EXISTS subqueries for tags, identities, sources, deals, campaigns and contact relations (one statement on
 * SQLite, PostgreSQL and D1). Merged customers never match; the viewer's data scope applies when given.
 */
export function segmentCondition(
  db: Kysely<Database>,
  filter: SegmentFilter,
  viewer: Viewer | null,
  now: number,
): (eb: Eb) => Expression<SqlBool> {
  const scope = viewer ? customerScope(db, viewer) : null;
  return (eb) => {
    const all: Expression<SqlBool>[] = [eb('customers.merged_into_id', 'is', null)];
    if (scope) all.push(scope(eb));
    const dnc = filter.doNotContact ?? 'exclude';
    if (dnc !== 'include') all.push(eb('customers.do_not_contact', '=', dnc === 'only' ? 1 : 0));
    all.push(...tagConditions(eb, filter.tags));
    if (filter.stages) all.push(eb('customers.stage', 'in', filter.stages));
    if (filter.excludeStages) all.push(eb('customers.stage', 'not in', filter.excludeStages));
    if (filter.valueTiers) all.push(eb('customers.value_tier', 'in', filter.valueTiers));
    if (filter.owners) all.push(eb('customers.owner_staff_id', 'in', filter.owners));
    if (filter.teams) {
      all.push(
        eb.or(filter.teams.map((teamId) => eb('customers.owner_staff_id', 'in', teamStaff(db, teamId)))),
      );
    }
    if (filter.unowned !== undefined)
      all.push(eb('customers.owner_staff_id', filter.unowned ? 'is' : 'is not', null));
    if (filter.platforms) {
      all.push(
        eb.exists(
          eb
            .selectFrom('identities')
            .select('identities.id')
            .whereRef('identities.customer_id', '=', 'customers.id')
            .where('identities.platform', 'in', filter.platforms),
        ),
      );
    }
    if (filter.sources) {
      all.push(
        eb.exists(
          eb
            .selectFrom('customer_sources')
            .select('customer_sources.id')
            .whereRef('customer_sources.customer_id', '=', 'customers.id')
            .where('customer_sources.code', 'in', filter.sources),
        ),
      );
    }
    if (filter.lastContact) all.push(lastContactCondition(eb, filter.lastContact, now));
    if (filter.deals) all.push(dealCondition(eb, filter.deals, now));
    if (filter.repliedToLastCampaign !== undefined)
      all.push(campaignReplyCondition(eb, filter.repliedToLastCampaign));
    if (filter.lost) all.push(lostCondition(eb, now - filter.lost.withinDays * DAY));
    return eb.and(all);
  };
}

/** Staff ids of a team and every team under it. */
function teamStaff(db: Kysely<Database>, teamId: number) {
  return subtreeQuery(db, teamId)
    .selectFrom('staff')
    .select('staff.id')
    .where('staff.team_id', 'in', (qc) => qc.selectFrom('subtree').select('subtree.id'));
}

function tagConditions(eb: Eb, tags: SegmentFilter['tags']): Expression<SqlBool>[] {
  if (!tags) return [];
  const tagged = (names: string[]) =>
    eb.exists(
      eb
        .selectFrom('customer_tags')
        .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
        .select('customer_tags.tag_id')
        .whereRef('customer_tags.customer_id', '=', 'customers.id')
        .where('tags.name', 'in', names),
    );
  const out: Expression<SqlBool>[] = [];
  for (const name of new Set(tags.all ?? [])) out.push(tagged([name]));
  if (tags.any) out.push(tagged(tags.any));
  if (tags.none) out.push(eb.not(tagged(tags.none)));
  return out;
}

function lastContactCondition(
  eb: Eb,
  c: NonNullable<SegmentFilter['lastContact']>,
  now: number,
): Expression<SqlBool> {
  if ('never' in c) return eb('customers.last_contact_at', 'is', null);
  if ('withinDays' in c) return eb('customers.last_contact_at', '>=', now - c.withinDays * DAY);
  // A customer never contacted is not "contacted long ago": `never` selects them.
  return eb('customers.last_contact_at', '<', now - c.olderThanDays * DAY);
}

function dealCondition(eb: Eb, d: NonNullable<SegmentFilter['deals']>, now: number): Expression<SqlBool> {
  let deals = eb.selectFrom('deals').select('deals.id').whereRef('deals.customer_id', '=', 'customers.id');
  if ('none' in d) return eb.not(eb.exists(deals));
  deals = deals.where('deals.stage', '=', 'won');
  if (d.withinDays !== undefined) deals = deals.where('deals.closed_at', '>=', now - d.withinDays * DAY);
  return eb.exists(deals);
}

/**
 * Replied (or not) to the latest campaign that reached the customer: an inbound message after the send (its
 * confirmation, else its queueing) and within the campaign's window. `false` needs a campaign to have reached them.
 */
function campaignReplyCondition(eb: Eb, replied: boolean): Expression<SqlBool> {
  const reached = eb
    .selectFrom('campaign_recipients as rr')
    .innerJoin('campaigns as rc', 'rc.id', 'rr.campaign_id')
    .whereRef('rr.customer_id', '=', 'customers.id')
    .where('rr.status', 'in', [...REACHED])
    .where('rc.started_at', 'is not', null);
  const latest = reached.select('rr.id').orderBy('rc.started_at', 'desc').orderBy('rc.id', 'desc').limit(1);
  const sentAt = sql<number>`coalesce(${sql.ref('lr.sent_at')}, ${sql.ref('lr.queued_at')})`;
  // bigint arithmetic: window_days * 86400000 overflows a 32-bit integer on PostgreSQL.
  const windowEnd = sql<number>`${sentAt} + ${sql.ref('lc.window_days')} * cast(${DAY} as bigint)`;
  const repliedToLatest = eb.exists(
    eb
      .selectFrom('campaign_recipients as lr')
      .innerJoin('campaigns as lc', 'lc.id', 'lr.campaign_id')
      .innerJoin('messages as m', 'm.customer_id', 'lr.customer_id')
      .select('m.id')
      .where('lr.id', '=', latest)
      .where('m.direction', '=', 'in')
      .where('m.sent_at', '>', sentAt)
      .where('m.sent_at', '<=', windowEnd),
  );
  return replied ? repliedToLatest : eb.and([eb.exists(reached.select('rr.id')), eb.not(repliedToLatest)]);
}

function lostCondition(eb: Eb, since: number): Expression<SqlBool> {
  return eb.or([
    eb.and([eb('customers.stage', '=', 'lost'), eb('customers.updated_at', '>=', since)]),
    eb.exists(
      eb
        .selectFrom('contact_relations')
        .select('contact_relations.id')
        .whereRef('contact_relations.customer_id', '=', 'customers.id')
        .where('contact_relations.status', '=', 'lost')
        .where('contact_relations.lost_at', '>=', since),
    ),
  ]);
}
