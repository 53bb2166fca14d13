import type { Selectable } from 'kysely';
import type { CampaignApprovalTable } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { campaignApprovalNotices } from '../../kernel/i18n/console-campaigns.ts';
import { type Actor, auditedAs, mayMarket } from '../../kernel/permissions/actor.ts';
import { mayChangeOwned, ownerReach } from '../../kernel/permissions/ownership.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { messageToStaff } from '../../records/staff/notify.ts';
import {
  type CampaignOutcome,
  type CampaignRow,
  cancelCampaign,
  createCampaign,
  type NewCampaign,
  scheduleCampaign,
} from './campaigns.ts';

export type ApprovalRow = Selectable<CampaignApprovalTable>;

/** Why an approval step was refused: 403 not the actor's to decide, 404 unknown, 409 already decided or not a draft. */
export interface ApprovalRefusal {
  ok: false;
  status: 400 | 403 | 404 | 409;
  error: string;
  field?: string;
}

export type ApprovalOutcome =
  | { ok: true; campaign: CampaignRow; approval: ApprovalRow; notices: OutboundMessage[] }
  | ApprovalRefusal;

const MAX_REASON = 500;

/**
 * Sets up a campaign that waits for approval (the console's way): a draft, with the time to send at kept aside so
 * nothing is scheduled before a director or admin approves it. Repeating a call with the same key answers the first
 * campaign. Managers and above; the segment is read in the author's scope, as `createCampaign` does.
 */
export async function submitCampaign(
  deps: CoreDeps,
  actor: Actor,
  input: Omit<NewCampaign, 'scheduledAt'> & { sendAt?: number },
  key: string,
): Promise<CampaignOutcome | ApprovalRefusal> {
  if (!mayMarket(actor)) return { ok: false, status: 403, error: 'campaigns are for managers and above' };
  const earlier = await approvalByKey(deps, key);
  if (earlier) {
    const campaign = await campaignRow(deps, earlier.campaign_id);
    if (campaign) return { ok: true, campaign };
  }
  const { sendAt, ...fields } = input;
  const created = await createCampaign(deps, fields, actor.staffId, actor);
  if (!created.ok) return created;
  const now = deps.clock.now();
  await deps.db
    .insertInto('campaign_approvals')
    .values({
      campaign_id: created.campaign.id,
      status: 'pending',
      author_staff_id: actor.staffId,
      send_at: sendAt ?? null,
      submit_key: key,
      submitted_at: now,
      decided_by_staff_id: null,
      decided_at: null,
      decide_key: null,
      reason: null,
    })
    .execute();
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: 'campaign.submit',
    subjectKind: 'campaign',
    subjectId: created.campaign.id,
    detail: { sendAt: sendAt ?? null },
  });
  return created;
}

/**
 * Approves a campaign waiting for approval and schedules it through the ordinary launch path (at its send time, or
 * now). Directors and admins only; not the author, except an admin approving their own (a one-admin organisation is
 * never stuck). Repeating with the same key answers as the first call did.
 */
export async function approveCampaign(
  deps: CoreDeps,
  actor: Actor,
  campaignId: number,
  key: string,
): Promise<ApprovalOutcome> {
  const found = await decidable(deps, actor, campaignId, key, 'approved');
  if (!found.ok) return found;
  if ('repeated' in found) return found.repeated;
  const now = deps.clock.now();
  if (!(await claimDecision(deps, actor, campaignId, 'approved', key, null)))
    return alreadyDecided(deps, campaignId);
  const at = found.approval.send_at !== null && found.approval.send_at > now ? found.approval.send_at : null;
  const scheduled = await scheduleCampaign(deps, campaignId, at, actor);
  if (!scheduled.ok) {
    // Changed under us (cancelled through the API meanwhile): the approval did not happen.
    await deps.db
      .updateTable('campaign_approvals')
      .set({ status: 'pending', decided_by_staff_id: null, decided_at: null, decide_key: null })
      .where('campaign_id', '=', campaignId)
      .execute();
    return { ok: false, status: 409, error: scheduled.error };
  }
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: 'campaign.approve',
    subjectKind: 'campaign',
    subjectId: campaignId,
    detail: { author: found.approval.author_staff_id, at: at ?? now },
  });
  return {
    ok: true,
    campaign: scheduled.campaign,
    approval: await approvalOf(deps, campaignId),
    notices: [],
  };
}

/**
 * Rejects a campaign waiting for approval: it is cancelled (nobody gets it) and its author is told why in their chat
 * (the notices, for the caller to queue). The same deciders as `approveCampaign`; a reason is required.
 */
export async function rejectCampaign(
  deps: CoreDeps,
  actor: Actor,
  campaignId: number,
  reason: string,
  key: string,
): Promise<ApprovalOutcome> {
  const why = reason.trim();
  if (!why || why.length > MAX_REASON)
    return { ok: false, status: 400, error: `a reason of 1–${MAX_REASON} characters`, field: 'reason' };
  const found = await decidable(deps, actor, campaignId, key, 'rejected');
  if (!found.ok) return found;
  if ('repeated' in found) return found.repeated;
  if (!(await claimDecision(deps, actor, campaignId, 'rejected', key, why)))
    return alreadyDecided(deps, campaignId);
  const cancelled = await cancelCampaign(deps, campaignId, actor);
  const now = deps.clock.now();
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: 'campaign.reject',
    subjectKind: 'campaign',
    subjectId: campaignId,
    detail: { author: found.approval.author_staff_id, reason: why },
  });
  const campaign = cancelled.ok ? cancelled.campaign : found.campaign;
  const author = found.approval.author_staff_id;
  const by = await staffName(deps, actor.staffId);
  const notices =
    author === null
      ? []
      : await messageToStaff(
          deps,
          author,
          (lang) => campaignApprovalNotices[lang].rejected(campaign.name, by, why),
          `campaign-rejected:${campaignId}`,
        );
  return { ok: true, campaign, approval: await approvalOf(deps, campaignId), notices };
}

/** The approvals of these campaigns, by campaign id (campaigns set up elsewhere have none). */
export async function approvalsOf(deps: CoreDeps, campaignIds: number[]): Promise<Map<number, ApprovalRow>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await deps.db
    .selectFrom('campaign_approvals')
    .selectAll()
    .where('campaign_id', 'in', campaignIds.slice(0, 90))
    .execute();
  return new Map(rows.map((r) => [Number(r.campaign_id), r]));
}

/**
 * Whether the actor may decide a campaign's approval by the policy: a director or an admin; not the author, unless
 * the actor is an admin (their own campaign).
 */
export function mayDecide(actor: Actor, authorStaffId: number | null): boolean {
  const role = actor.viewer?.role;
  if (actor.viewer === null) return true;
  if (role !== 'director' && role !== 'admin') return false;
  return role === 'admin' || authorStaffId === null || authorStaffId !== actor.staffId;
}

type Decidable =
  | { ok: true; campaign: CampaignRow; approval: ApprovalRow }
  | { ok: true; repeated: ApprovalOutcome }
  | ApprovalRefusal;

/** The campaign and its pending approval, when the actor may decide it; or the answer of a repeated decision. */
async function decidable(
  deps: CoreDeps,
  actor: Actor,
  campaignId: number,
  key: string,
  wanted: 'approved' | 'rejected',
): Promise<Decidable> {
  const campaign = await campaignRow(deps, campaignId);
  const unknown: ApprovalRefusal = { ok: false, status: 404, error: 'no such campaign' };
  if (!campaign || !mayChangeOwned(await ownerReach(deps.db, actor.viewer), campaign)) return unknown;
  const approval = await deps.db
    .selectFrom('campaign_approvals')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!approval) return { ok: false, status: 409, error: 'the campaign does not wait for approval' };
  if (!mayDecide(actor, approval.author_staff_id))
    return {
      ok: false,
      status: 403,
      error:
        approval.author_staff_id === actor.staffId
          ? 'another director or admin approves your campaign'
          : 'campaigns are approved by directors and admins',
    };
  if (approval.status !== 'pending') {
    if (approval.decide_key === key && approval.status === wanted)
      return { ok: true, repeated: { ok: true, campaign, approval, notices: [] } };
    return { ok: false, status: 409, error: `the campaign was already ${approval.status}` };
  }
  return { ok: true, campaign, approval };
}

/** Takes the decision when nobody took it first (a conditional update: two deciders never both win). */
async function claimDecision(
  deps: CoreDeps,
  actor: Actor,
  campaignId: number,
  status: 'approved' | 'rejected',
  key: string,
  reason: string | null,
): Promise<boolean> {
  const r = await deps.db
    .updateTable('campaign_approvals')
    .set({
      status,
      decided_by_staff_id: actor.staffId,
      decided_at: deps.clock.now(),
      decide_key: key,
      reason,
    })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

async function alreadyDecided(deps: CoreDeps, campaignId: number): Promise<ApprovalRefusal> {
  const now = await approvalOf(deps, campaignId);
  return { ok: false, status: 409, error: `the campaign was already ${now.status}` };
}

const approvalOf = (deps: CoreDeps, campaignId: number) =>
  deps.db
    .selectFrom('campaign_approvals')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();

const approvalByKey = (deps: CoreDeps, key: string) =>
  deps.db.selectFrom('campaign_approvals').selectAll().where('submit_key', '=', key).executeTakeFirst();

const campaignRow = (deps: CoreDeps, id: number) =>
  deps.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();

async function staffName(deps: CoreDeps, staffId: number | null): Promise<string> {
  // The unbound API token and the command line have no name: the product speaks for them.
  if (staffId === null) return 'Liaison';
  const row = await deps.db
    .selectFrom('staff')
    .select('display_name')
    .where('id', '=', staffId)
    .executeTakeFirst();
  return row?.display_name ?? `#${staffId}`;
}
