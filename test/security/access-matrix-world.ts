import { expect } from 'vitest';
import type { Role } from '../../db/schema.ts';
import { indexCustomerSearch } from '../../src/core/records/customers/search-index.ts';
import {
  askInTelegramGroup,
  type ChatDriver,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { API_TOKEN, BOT_TOKEN, FIXTURE_TIME, type Harness } from '../helpers/harness.ts';

// The organisation of the access matrix: teams A and B each with a manager and a rep, a director, an admin, and the
// actor: one staff member whose role and team the matrix changes column by column (the API token is bound to them).

export const ADMIN = '5234567890';
export const ACTOR = '5470000000';
const PEOPLE = {
  managerA: '5470000001',
  repA: '5470000002',
  managerB: '5470000003',
  repB: '5470000004',
  director: '5470000005',
} as const;

const DAY = 86_400_000;
const BOT_ID = BOT_TOKEN.split(':')[0] ?? '';

/**
 * One column of the matrix: who the actor is, and which objects the cell is about. Customers are the actor's own or
 * team A's rep's; marketing objects (segments, campaigns, channel codes, SOPs, digest subscriptions) team A's (made
 * by A's manager), team B's, or the actor's own without a team.
 */
export interface Placement {
  label: string;
  role: Role;
  team: 'A' | 'B' | null;
  customerOwner: 'actor' | 'repA';
  objects: 'teamA' | 'teamB' | 'actor';
  /** What the model says, independent of the code: may they see and change this customer? */
  customerInScope: boolean;
  /** May they read / change these marketing objects? */
  marketingRead: boolean;
  marketingChange: boolean;
  /** May they manage team A's staff (hand over, add, list)? */
  staffInReach: boolean;
}

const placement = (
  label: string,
  role: Role,
  team: Placement['team'],
  customerOwner: Placement['customerOwner'],
  objects: Placement['objects'],
  [customerInScope, marketingRead, marketingChange, staffInReach]: [boolean, boolean, boolean, boolean],
): Placement => ({
  label,
  role,
  team,
  customerOwner,
  objects,
  customerInScope,
  marketingRead,
  marketingChange,
  staffInReach,
});

export const PLACEMENTS: Placement[] = [
  placement('rep, in scope (own customer, own team’s objects)', 'rep', 'A', 'actor', 'teamA', [
    true,
    true,
    false,
    false,
  ]),
  placement('rep, out of scope (teammate’s customer, team B’s objects)', 'rep', 'A', 'repA', 'teamB', [
    false,
    false,
    false,
    false,
  ]),
  placement('manager of the owning team', 'manager', 'A', 'repA', 'teamA', [true, true, true, true]),
  placement('manager of another team', 'manager', 'B', 'repA', 'teamA', [false, false, false, false]),
  placement('teamless manager, in scope (own)', 'manager', null, 'actor', 'actor', [true, true, true, false]),
  placement('teamless manager, out of scope (team A’s)', 'manager', null, 'repA', 'teamA', [
    false,
    false,
    false,
    false,
  ]),
  placement('director', 'director', null, 'repA', 'teamA', [true, true, true, true]),
  placement('admin', 'admin', null, 'repA', 'teamA', [true, true, true, true]),
];

/** A rule the expected outcome follows; the matrix computes each cell's expectation from it and the placement. */
export type Policy =
  | 'everyone'
  | 'customer'
  | 'customer-manager'
  | 'own-customers'
  | 'marketer'
  | 'marketing-read'
  | 'manager-read'
  | 'marketing-change'
  | 'team-writer'
  | 'team-change'
  | 'staff-manager'
  | 'director-up'
  | 'admin-only';

export function allowedBy(policy: Policy, p: Placement): boolean {
  switch (policy) {
    case 'everyone':
      return true;
    case 'customer':
      return p.customerInScope;
    case 'customer-manager':
      return p.customerInScope && p.role !== 'rep';
    case 'own-customers':
      return p.customerOwner === 'actor';
    case 'marketer':
      return p.role !== 'rep';
    case 'marketing-read':
      return p.marketingRead;
    case 'manager-read':
      return p.marketingRead && p.role !== 'rep';
    case 'marketing-change':
      return p.marketingChange;
    // Objects that belong to a team and are used by everyone under it (quick replies): a manager writes their own
    // team's (and those under it), never the organisation's; directors and admins any.
    case 'team-writer':
      return p.role === 'director' || p.role === 'admin' || (p.role === 'manager' && p.team !== null);
    case 'team-change':
      return (
        p.role === 'director' ||
        p.role === 'admin' ||
        (p.role === 'manager' && p.team !== null && p.objects === `team${p.team}`)
      );
    case 'staff-manager':
      return p.staffInReach && p.role !== 'rep';
    case 'director-up':
      return p.role === 'director' || p.role === 'admin';
    case 'admin-only':
      return p.role === 'admin';
  }
}

/** The staff id of a Telegram user who was added as staff. */
async function staffIdOf(h: Harness, external: string): Promise<number> {
  const row = await h.db
    .selectFrom('staff_identities')
    .select('staff_id')
    .where('external_id', '=', external)
    .executeTakeFirstOrThrow();
  return row.staff_id;
}

export interface Named {
  id: number;
  name: string;
}

/** The organisation, and fresh objects for each cell so that one cell's write never decides another's outcome. */
export class World {
  private n = 0;
  readonly chat: ChatDriver;
  private constructor(
    readonly h: Harness,
    readonly staff: Record<keyof typeof PEOPLE | 'actor', number>,
    readonly teams: { A: number; B: number },
    private current: Placement = PLACEMENTS[0] as Placement,
  ) {
    this.chat = telegramDriver(h);
  }

  static async build(h: Harness): Promise<World> {
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 甲组');
    await chat.ask(ADMIN, '/team add 乙组');
    const roles: Record<keyof typeof PEOPLE, string> = {
      managerA: 'manager 甲组',
      repA: 'rep 甲组',
      managerB: 'manager 乙组',
      repB: 'rep 乙组',
      director: 'director',
    };
    for (const [who, role] of Object.entries(roles))
      expect(
        await chat.ask(ADMIN, `/staff add telegram:${PEOPLE[who as keyof typeof PEOPLE]} ${role}`),
      ).toContain('现在是');
    expect(await chat.ask(ADMIN, `/staff add telegram:${ACTOR} rep 甲组`)).toContain('现在是');
    const staffId = (external: string) => staffIdOf(h, external);
    const teamId = async (name: string) =>
      (await h.db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    const staff = { actor: await staffId(ACTOR) } as Record<keyof typeof PEOPLE | 'actor', number>;
    for (const [who, external] of Object.entries(PEOPLE))
      staff[who as keyof typeof PEOPLE] = await staffId(external);
    return new World(h, staff, { A: await teamId('甲组'), B: await teamId('乙组') });
  }

  get placement(): Placement {
    return this.current;
  }

  /** Makes the actor what the column says (the API reads the bound staff member's role on every request). */
  async place(p: Placement): Promise<void> {
    this.current = p;
    await this.h.db
      .updateTable('staff')
      .set({ role: p.role, team_id: p.team === null ? null : this.teams[p.team] })
      .where('id', '=', this.staff.actor)
      .execute();
  }

  private next(prefix: string): string {
    this.n += 1;
    return `${prefix}${String(this.n).padStart(4, '0')}`;
  }

  /**
   * A customer of this cell (the actor's or team A's rep's), searchable like any other. Last contacted two months ago,
   * later than every earlier one (first in `/mine`); `oldest`: before every earlier one (first in `/stale`).
   */
  async customer(
    owner: Placement['customerOwner'] | 'none' = this.current.customerOwner,
    { oldest = false } = {},
  ): Promise<Named> {
    const name = this.next('矩阵客户');
    const at = FIXTURE_TIME - 60 * DAY + (oldest ? -this.n : this.n) * 60_000;
    const row = await this.h.db
      .insertInto('customers')
      .values({
        display_name: name,
        company: null,
        phone: null,
        email: null,
        owner_staff_id: owner === 'none' ? null : owner === 'actor' ? this.staff.actor : this.staff.repA,
        stage: 'new',
        language: 'zh',
        source: null,
        do_not_contact: 0,
        merged_into_id: null,
        origin_key: `access-matrix:${name}`,
        search_text: name,
        first_contact_at: at,
        last_contact_at: at,
        last_inbound_at: at,
        last_outbound_at: null,
        created_at: at,
        updated_at: at,
        value_tier: null,
        sentiment: null,
        summary: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await indexCustomerSearch(this.h.db, Number(row.id));
    return { id: Number(row.id), name };
  }

  /** A customer of this cell who wrote to the bot (a chat a reply can go to), owned as the cell says. */
  async writingCustomer(): Promise<Named & { chat: string }> {
    const name = this.next('矩阵来信');
    const chat = `7471${String(this.n).padStart(6, '0')}`;
    const id = await telegramCustomer(this.h, chat, name, '你好');
    const owner = this.current.customerOwner === 'actor' ? this.staff.actor : this.staff.repA;
    await this.h.db.updateTable('customers').set({ owner_staff_id: owner }).where('id', '=', id).execute();
    return { id, name, chat };
  }

  /** Gives a customer a manual tag; its name. */
  async tagged(customerId: number): Promise<string> {
    const name = this.next('矩阵标签');
    const tag = await this.h.db
      .insertInto('tags')
      .values({ name, group_name: null, created_at: FIXTURE_TIME })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.h.db
      .insertInto('customer_tags')
      .values({
        customer_id: customerId,
        tag_id: Number(tag.id),
        source: 'manual',
        source_ref: null,
        confidence: null,
        message_id: null,
        actor_staff_id: null,
        created_at: FIXTURE_TIME,
        mirrored_at: FIXTURE_TIME,
      })
      .execute();
    return name;
  }

  /** An open duplicate suggestion between two customers. */
  async suggestion(a: number, b: number): Promise<void> {
    await this.h.db
      .insertInto('merge_suggestions')
      .values({
        customer_a_id: Math.min(a, b),
        customer_b_id: Math.max(a, b),
        score: 80,
        evidence: JSON.stringify([{ signal: 'phone', detail: '138****5678' }]),
        status: 'open',
        notified_at: FIXTURE_TIME,
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .execute();
  }

  /** Who owns this cell's marketing objects. */
  private owner(): { owner_team_id: number | null; created_by_staff_id: number } {
    const o = this.current.objects;
    if (o === 'actor') return { owner_team_id: null, created_by_staff_id: this.staff.actor };
    return o === 'teamA'
      ? { owner_team_id: this.teams.A, created_by_staff_id: this.staff.managerA }
      : { owner_team_id: this.teams.B, created_by_staff_id: this.staff.managerB };
  }

  async segment(): Promise<Named> {
    const name = this.next('矩阵分群');
    const row = await this.h.db
      .insertInto('segments')
      .values({
        name,
        description: null,
        filter: '{}',
        builtin: 0,
        ...this.owner(),
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), name };
  }

  async campaign(status: 'draft' | 'scheduled' | 'paused' = 'draft'): Promise<Named> {
    const name = this.next('矩阵活动');
    const segment = await this.segment();
    const owner = this.owner();
    const row = await this.h.db
      .insertInto('campaigns')
      .values({
        name,
        segment_id: segment.id,
        text: '矩阵活动正文',
        link_url: null,
        link_title: null,
        image: null,
        status,
        // Far ahead: a scheduled campaign of the matrix never starts.
        scheduled_at: status === 'draft' ? null : FIXTURE_TIME + 300 * DAY,
        started_at: null,
        finished_at: null,
        holdout_pct: 0,
        window_days: 14,
        channel_code_id: null,
        ...owner,
        scope_staff_id: owner.created_by_staff_id,
        lease_owner: null,
        lease_until: null,
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), name };
  }

  async channelCode(): Promise<Named & { code: string }> {
    const name = this.next('矩阵渠道');
    const code = `matrix${this.n}`;
    const row = await this.h.db
      .insertInto('channel_codes')
      .values({
        code,
        name,
        kind: 'campaign',
        platform: 'telegram',
        workspace: BOT_ID,
        campaign_id: null,
        staff_id: null,
        referrer_customer_id: null,
        platform_ref: null,
        link: `https://t.me/LiaisonCrmBot?start=${code}`,
        active: 1,
        ...this.owner(),
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), name, code };
  }

  async sop(): Promise<Named> {
    const name = this.next('矩阵SOP');
    const row = await this.h.db
      .insertInto('sops')
      .values({
        name,
        trigger_kind: 'tag',
        trigger_value: name,
        steps: JSON.stringify([{ after: {}, action: 'message', text: '矩阵' }]),
        active: 1,
        stop_reason: null,
        scanned_until: FIXTURE_TIME,
        ...this.owner(),
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), name };
  }

  /** A digest subscription of a group chat, subscribed by the owner of this cell's marketing objects. */
  async digestSubscription(): Promise<Named & { chatId: string; teamId: number | null }> {
    const chatId = `-100${this.next('')}`;
    const owner = this.owner();
    const row = await this.h.db
      .insertInto('digest_subscriptions')
      .values({
        kind: 'daily',
        platform: 'telegram',
        workspace: BOT_ID,
        target_kind: 'chat',
        target_ref: chatId,
        scope_team_id: owner.owner_team_id,
        subscriber_staff_id: owner.created_by_staff_id,
        owner_team_id: owner.owner_team_id,
        stop_reason: null,
        language: 'zh',
        enabled: 1,
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
        send_at: null,
        time_zone: null,
        target_secret: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), name: chatId, chatId, teamId: owner.owner_team_id };
  }

  /** A fresh rep in team A with one customer (someone whose customers can be handed over). */
  async colleague(): Promise<{ staffId: number; external: string }> {
    const external = `5471${String(this.n++).padStart(6, '0')}`;
    expect(await this.chat.ask(ADMIN, `/staff add telegram:${external} rep 甲组`)).toContain('现在是');
    return { staffId: await staffIdOf(this.h, external), external };
  }

  /** Two customers merged by an admin token, for undo: the merge id and the survivor. */
  async merged(): Promise<{ mergeId: number; survivor: Named; merged: Named }> {
    const survivor = await this.customer();
    const merged = await this.customer();
    const as = this.current;
    await this.place(PLACEMENTS.find((p) => p.role === 'admin') as Placement);
    const res = await this.api<{ mergeId: number }>('POST', '/customers/merge', {
      survivor: survivor.id,
      merged: merged.id,
      confirm: true,
    });
    await this.place(as);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { mergeId: res.body.mergeId, survivor, merged };
  }

  /** The actor writes to the bot privately; the answer. */
  ask(text: string): Promise<string> {
    return this.chat.ask(ACTOR, text);
  }

  /** The actor writes a command in a group chat; the answer there. */
  askInGroup(groupId: number, text: string): Promise<string> {
    return askInTelegramGroup(this.h, ACTOR, groupId, text);
  }

  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = API_TOKEN,
  ): Promise<{ status: number; body: T }> {
    return this.h.api<T>(path, token, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** The newest audit entry's id: writes after it are this cell's. */
  async auditMark(): Promise<number> {
    const row = await this.h.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Writes audited since `mark` (reads of unmasked data are not writes). */
  async writesSince(mark: number): Promise<string[]> {
    const rows = await this.h.db
      .selectFrom('audit_log')
      .select('action')
      .where('id', '>', mark)
      .where('action', '!=', 'customer.unmasked_read')
      .execute();
    return rows.map((r) => r.action);
  }
}
