import type { Kysely, Selectable } from 'kysely';
import type { CampaignStatus, CampaignTable, Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import {
  mayChangeOwned,
  maySeeOwnedNow,
  ownedCondition,
  ownerReach,
  ownerTeamFor,
} from '../../kernel/permissions/ownership.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { MassSendContent } from '../../ports/outbound.ts';
import { findSegment } from '../../reading/segments/segments.ts';

export type CampaignRow = Selectable<CampaignTable>;

/** Who acts on a campaign: their role and scope decide which campaigns they reach; the audit log names them. */
export type CampaignActor = Actor;

/** Why a campaign write was refused, as the API answers it (400 bad input, 404 unknown, 409 wrong state). */
export interface CampaignRefusal<S extends 400 | 404 | 409 = 400 | 404 | 409> {
  ok: false;
  status: S;
  error: string;
  field?: string;
  /** For a 409: the state the campaign is in. */
  state?: CampaignStatus;
}

export type CampaignOutcome<S extends 400 | 404 | 409 = 400 | 404 | 409> =
  | { ok: true; campaign: CampaignRow }
  | CampaignRefusal<S>;

/** The outcome of a state change: 404 for an unknown campaign, 409 when its state does not allow the change. */
export type TransitionOutcome = CampaignOutcome<404 | 409>;

/** What a new campaign says. Times are epoch ms. */
export interface NewCampaign {
  name: string;
  /** A segment's id (`#12` / `12`) or name. */
  segment: string;
  text: string;
  link?: { title: string; url: string };
  /** PNG or JPEG, base64, at most 2 MB. */
  image?: string;
  holdoutPct?: number;
  windowDays?: number;
  /** Schedules the campaign at once; without it the campaign stays a draft until scheduled. */
  scheduledAt?: number;
}

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_WINDOW_DAYS = 14;

/** A campaign by `#id`, id or name; null when there is none. */
export async function findCampaign(db: Kysely<Database>, ref: string): Promise<CampaignRow | null> {
  const r = ref.trim();
  const id = /^#?(\d{1,15})$/.exec(r)?.[1];
  if (id) {
    const byId = await db.selectFrom('campaigns').selectAll().where('id', '=', Number(id)).executeTakeFirst();
    if (byId) return byId;
  }
  return (await db.selectFrom('campaigns').selectAll().where('name', '=', r).executeTakeFirst()) ?? null;
}

/** The campaigns a viewer reaches (null: every campaign), newest first. */
export async function listCampaigns(
  db: Kysely<Database>,
  viewer: Viewer | null,
  limit = 100,
): Promise<CampaignRow[]> {
  const where = ownedCondition(await ownerReach(db, viewer), 'campaigns');
  let q = db.selectFrom('campaigns').selectAll().orderBy('id', 'desc').limit(limit);
  if (where) q = q.where(where);
  return q.execute();
}

/**
 * A campaign by `#id`, id or name as the viewer reaches it: to read (`see`) or to change (`change`). Another team's
 * campaign is answered as if it did not exist.
 */
export async function campaignFor(
  db: Kysely<Database>,
  viewer: Viewer | null,
  ref: string,
  need: 'see' | 'change' = 'see',
): Promise<CampaignRow | null> {
  const c = await findCampaign(db, ref);
  if (!c) return null;
  const reach = await ownerReach(db, viewer);
  return (need === 'see' ? await maySeeOwnedNow(db, reach, c) : mayChangeOwned(reach, c)) ? c : null;
}

/** What a campaign sends: its text, and its link card or picture. */
export function campaignContent(c: CampaignRow): MassSendContent {
  return {
    text: c.text,
    ...(c.link_url ? { link: { title: c.link_title ?? c.link_url, url: c.link_url } } : {}),
    ...(c.image ? { image: { base64: c.image } } : {}),
  };
}

/** The outbox and outreach key of one customer's campaign message (one per customer per campaign, ever). */
export const campaignSendKey = (campaignId: number, customerId: number): string =>
  `campaign:${campaignId}:${customerId}`;

/** Why a picture is refused (not PNG/JPEG base64, over 2 MB), or null when it is fine. Pure string work. */
export function imageProblem(base64: string): string | null {
  const clean = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) return 'image must be base64';
  if (!clean.startsWith('iVBORw0KGgo') && !clean.startsWith('/9j/')) return 'image must be a PNG or JPEG';
  const bytes = Math.floor((clean.length * 3) / 4) - (clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0);
  return bytes > MAX_IMAGE_BYTES ? 'image is over 2 MB' : null;
}

/**
 * Creates a campaign over a segment, read in `scopeStaffId`'s data scope (null: the whole organisation). A draft, or
 * scheduled when `scheduledAt` is given. 404 for an unknown segment, 409 for a name in use.
 */
export async function createCampaign(
  deps: CoreDeps,
  input: NewCampaign,
  scopeStaffId: number | null,
  actor: CampaignActor,
): Promise<CampaignOutcome> {
  const { db } = deps;
  const now = deps.clock.now();
  const bad = (error: string, field: string): CampaignRefusal => ({ ok: false, status: 400, error, field });
  const name = input.name.trim();
  if (!name || name.length > 100) return bad('name must be 1–100 characters', 'name');
  // `#12` and `12` name campaigns by id in commands and the API.
  if (/^#?\d+$/.test(name)) return bad('name must not be a number', 'name');
  if (!input.text.trim()) return bad('text is empty', 'text');
  const holdout = input.holdoutPct ?? 0;
  if (!Number.isInteger(holdout) || holdout < 0 || holdout > 50)
    return bad('holdoutPct is 0–50', 'holdoutPct');
  const windowDays = input.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 90)
    return bad('windowDays is 1–90', 'windowDays');
  const imageError = input.image ? imageProblem(input.image) : null;
  if (imageError) return bad(imageError, 'image');
  const found = await findSegment(db, input.segment);
  // Only a segment the creator may read (their team's, their own, a built-in one) is theirs to send to.
  const segment =
    found && (found.builtin === 1 || (await maySeeOwnedNow(db, await ownerReach(db, actor.viewer), found)))
      ? found
      : null;
  if (!segment) return { ok: false, status: 404, error: 'no such segment', field: 'segment' };
  if (await findCampaign(db, name))
    return { ok: false, status: 409, error: 'a campaign of this name exists', field: 'name' };
  const inserted = await db
    .insertInto('campaigns')
    .values({
      name,
      segment_id: segment.id,
      text: input.text,
      link_url: input.link?.url ?? null,
      link_title: input.link?.title ?? null,
      image: input.image ? input.image.replace(/\s+/g, '') : null,
      status: input.scheduledAt !== undefined ? 'scheduled' : 'draft',
      scheduled_at: input.scheduledAt ?? null,
      started_at: null,
      finished_at: null,
      holdout_pct: holdout,
      window_days: windowDays,
      channel_code_id: null,
      created_by_staff_id: actor.staffId,
      owner_team_id: ownerTeamFor(actor.viewer),
      scope_staff_id: scopeStaffId,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const campaign = await findCampaign(db, name);
  if (!campaign || Number(inserted[0]?.numInsertedOrUpdatedRows ?? 1) === 0)
    return { ok: false, status: 409, error: 'a campaign of this name exists', field: 'name' };
  await auditCampaign(deps, actor, 'campaign.create', campaign.id, {
    segment: segment.id,
    holdoutPct: holdout,
    windowDays,
    scheduledAt: input.scheduledAt ?? null,
  });
  return { ok: true, campaign };
}

type Transition = 'schedule' | 'pause' | 'resume' | 'cancel';
const DONE: Record<Transition, string> = {
  schedule: 'scheduled',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
};

/** From which states each change is allowed. */
const ALLOWED: Record<Transition, CampaignStatus[]> = {
  schedule: ['draft', 'scheduled'],
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
};

/**
 * Schedules a draft (or moves a scheduled campaign) to start at `at` (now when absent). A campaign submitted for
 * approval (the console's) is scheduled only once approved, whichever door asks (API, console): 409 until then.
 */
export async function scheduleCampaign(
  deps: CoreDeps,
  id: number,
  at: number | null,
  actor: CampaignActor,
): Promise<TransitionOutcome> {
  const approval = await deps.db
    .selectFrom('campaign_approvals')
    .select('status')
    .where('campaign_id', '=', id)
    .executeTakeFirst();
  if (approval && approval.status !== 'approved')
    return {
      ok: false,
      status: 409,
      error: approval.status === 'pending' ? 'the campaign waits for approval' : 'the campaign was rejected',
    };
  const when = at ?? deps.clock.now();
  return transition(deps, id, 'schedule', actor, () => ({ status: 'scheduled', scheduled_at: when }), {
    at: when,
  });
}

/** Stops new batches; messages already queued still go. */
export function pauseCampaign(deps: CoreDeps, id: number, actor: CampaignActor) {
  return transition(deps, id, 'pause', actor, () => ({ status: 'paused' }));
}

/** Continues a paused campaign (back to scheduled when it had not started yet). */
export function resumeCampaign(deps: CoreDeps, id: number, actor: CampaignActor) {
  return transition(deps, id, 'resume', actor, (c) => ({
    status:
      c.started_at === null && c.status === 'paused' && c.scheduled_at !== null ? 'scheduled' : 'running',
  }));
}

/** Ends a campaign: nobody still waiting gets it (pending recipients become cancelled). */
export async function cancelCampaign(
  deps: CoreDeps,
  id: number,
  actor: CampaignActor,
): Promise<TransitionOutcome> {
  const outcome = await transition(deps, id, 'cancel', actor, () => ({
    status: 'cancelled',
    finished_at: deps.clock.now(),
  }));
  if (outcome.ok) await cancelPending(deps, id);
  return outcome;
}

/** Pending recipients of a cancelled campaign become cancelled, and WeCom tasks not yet queued are dropped. */
export async function cancelPending(deps: CoreDeps, campaignId: number): Promise<number> {
  const now = deps.clock.now();
  const r = await deps.db
    .updateTable('campaign_recipients')
    .set({ status: 'cancelled', updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  await deps.db
    .updateTable('campaign_mass_sends')
    .set({ status: 'cancelled', updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'new')
    .execute();
  return Number(r.numUpdatedRows);
}

async function transition(
  deps: CoreDeps,
  id: number,
  what: Transition,
  actor: CampaignActor,
  change: (c: CampaignRow) => Partial<Pick<CampaignRow, 'status' | 'scheduled_at' | 'finished_at'>>,
  detail: Record<string, unknown> = {},
): Promise<TransitionOutcome> {
  const { db } = deps;
  const before = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  // Another team's campaign is answered as unknown: its existence is not the actor's to learn.
  if (!before || !mayChangeOwned(await ownerReach(db, actor.viewer), before))
    return { ok: false, status: 404, error: 'no such campaign' };
  const from = ALLOWED[what];
  const refused = (status: CampaignStatus): CampaignRefusal<409> => ({
    ok: false,
    status: 409,
    error: `the campaign is ${status}: it cannot be ${DONE[what]}`,
    state: status,
  });
  if (!from.includes(before.status)) return refused(before.status);
  // Conditional on the state read: a concurrent change in between makes this one a 409, never a silent overwrite.
  const moved = await db
    .updateTable('campaigns')
    .set({ ...change(before), updated_at: deps.clock.now() })
    .where('id', '=', id)
    .where('status', '=', before.status)
    .executeTakeFirst();
  const after = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (Number(moved.numUpdatedRows) === 0) return refused(after.status);
  await auditCampaign(deps, actor, `campaign.${what}`, id, {
    from: before.status,
    to: after.status,
    ...detail,
  });
  return { ok: true, campaign: after };
}

function auditCampaign(
  deps: CoreDeps,
  actor: CampaignActor,
  action: string,
  id: number,
  detail: Record<string, unknown>,
): Promise<void> {
  return audit(deps.db, deps.clock.now(), {
    ...auditedAs(actor),
    action,
    subjectKind: 'campaign',
    subjectId: id,
    detail,
  });
}

/** Recipients per status, and per reason (skipped and failed), of one campaign. */
export async function recipientCounts(
  db: Kysely<Database>,
  campaignId: number,
): Promise<{ total: number; byStatus: Record<string, number>; byReason: Record<string, number> }> {
  const rows = await db
    .selectFrom('campaign_recipients')
    .select(['status', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy(['status', 'reason'])
    .execute();
  const byStatus: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
    if (r.reason) byReason[r.reason] = (byReason[r.reason] ?? 0) + n;
  }
  return { total, byStatus, byReason };
}

/** Reached (queued, sent or delivered) out of a count set. */
export const reachedOf = (byStatus: Record<string, number>): number =>
  (byStatus.queued ?? 0) + (byStatus.sent ?? 0) + (byStatus.delivered ?? 0);
