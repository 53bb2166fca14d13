import { type Actor, mayMarket } from '../../kernel/permissions/actor.ts';
import { contactsShown } from '../../kernel/permissions/contacts-shown.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { decideOutreach } from '../outreach/outreach.ts';
import { type ApprovalRow, approvalsOf, mayDecide } from './approval.ts';
import { campaignMembers, inHoldout } from './audience.ts';
import {
  type CampaignRow,
  campaignContent,
  campaignFor,
  campaignSendKey,
  listCampaigns,
} from './campaigns.ts';
import { type CampaignPreview, previewCampaign, shownOn } from './preview.ts';
import { type CampaignProgress, campaignProgress } from './progress.ts';

/** A campaign as the console lists it: its row, progress, approval and whether the actor may decide it now. */
export interface ReviewedCampaign {
  campaign: CampaignRow;
  progress: CampaignProgress;
  approval: ApprovalRow | null;
  authorName: string | null;
  /** Waiting for approval, and the actor may approve or reject it. */
  mayDecide: boolean;
}

/** One recipient a preview shows: who, their phone as the actor may see it, the message as they will read it. */
export interface PreviewSample {
  customerId: number;
  name: string;
  phone: string | null;
  platform: string;
  text: string;
}

/** Per platform: customers reachable there and the platform's own limit on one mass-send task (null: none). */
export interface PlatformFigures {
  platform: string;
  customers: number;
  maxPerTask: number | null;
}

export interface ReviewedPreview extends CampaignPreview {
  platforms: PlatformFigures[];
  /** The organisation's cap on marketing messages per customer (`OUTREACH_FREQUENCY_CAP`). */
  cap: { limit: number; days: number };
  samples: PreviewSample[];
}

/** Recipients tried for samples at most (do-not-contact and unreachable ones are passed over). */
const SAMPLE_TRIES = 200;

/**
 * The campaigns the actor reaches (their team's for a manager, all for directors and admins), newest first, with
 * progress and approval. Null for a rep (campaigns are for managers and above).
 */
export async function reviewCampaigns(deps: CoreDeps, actor: Actor): Promise<ReviewedCampaign[] | null> {
  if (!mayMarket(actor)) return null;
  const rows = await listCampaigns(deps.db, actor.viewer, 50);
  const approvals = await approvalsOf(
    deps,
    rows.map((r) => r.id),
  );
  const authors = new Set(rows.map((r) => r.created_by_staff_id).filter((s): s is number => s !== null));
  const names = new Map<number, string>();
  if (authors.size > 0)
    for (const s of await deps.db
      .selectFrom('staff')
      .select(['id', 'display_name'])
      .where('id', 'in', [...authors])
      .execute())
      names.set(Number(s.id), s.display_name);
  const out: ReviewedCampaign[] = [];
  for (const campaign of rows) {
    const approval = approvals.get(campaign.id) ?? null;
    out.push({
      campaign,
      progress: await campaignProgress(deps.db, campaign),
      approval,
      authorName:
        campaign.created_by_staff_id === null ? null : (names.get(campaign.created_by_staff_id) ?? null),
      mayDecide:
        approval?.status === 'pending' &&
        campaign.status === 'draft' &&
        mayDecide(actor, approval.author_staff_id),
    });
  }
  return out;
}

/**
 * What sending the campaign now would do (`previewCampaign`: counts after do-not-contact, frequency cap and
 * unreachable customers), the platforms' limits, and a few recipients with the message as each will read it, phones
 * masked for whoever may not see them whole (unmasked reads audited). Writes nothing else. Null: not the actor's.
 */
export async function reviewPreview(
  deps: CoreDeps,
  actor: Actor,
  campaignId: number,
  sampleSize = 5,
): Promise<ReviewedPreview | null> {
  if (!mayMarket(actor)) return null;
  const c = await campaignFor(deps.db, actor.viewer, `#${campaignId}`);
  if (!c || c.id !== campaignId) return null;
  const now = deps.clock.now();
  const preview = await previewCampaign(deps, c, now);
  const platforms = Object.entries(preview.reachable.byPlatform).map(([platform, customers]) => ({
    platform,
    customers,
    maxPerTask: deps.adapters.get(platform)?.massSends?.maxCustomersPerTask ?? null,
  }));
  const { limit, windowMs } = deps.org.outreachCap;
  return {
    ...preview,
    platforms,
    cap: { limit, days: Math.round(windowMs / 86_400_000) },
    samples: await samplesOf(deps, actor, c, now, sampleSize),
  };
}

async function samplesOf(
  deps: CoreDeps,
  actor: Actor,
  c: CampaignRow,
  now: number,
  size: number,
): Promise<PreviewSample[]> {
  const members = (await campaignMembers(deps, c, now)) ?? [];
  const content = campaignContent(c);
  const picked: Array<{ id: number; platform: string; text: string }> = [];
  for (const id of members.slice(0, SAMPLE_TRIES)) {
    if (picked.length >= size) break;
    if (inHoldout(c.id, id, c.holdout_pct)) continue;
    const d = await decideOutreach(deps, id, campaignSendKey(c.id, id), now);
    if (!d.ok) continue;
    const look = shownOn(d.route.kind, d.route.platform, false, content);
    picked.push({ id, platform: d.route.platform, text: look.text });
  }
  if (picked.length === 0) return [];
  const rows = await deps.db
    .selectFrom('customers')
    .select(['id', 'display_name', 'phone', 'email'])
    .where(
      'id',
      'in',
      picked.map((p) => p.id),
    )
    .execute();
  const shown = await contactsShown(
    deps,
    actor,
    rows.map((r) => ({ id: Number(r.id), name: r.display_name, phone: r.phone, email: r.email })),
    { read: 'campaign-preview', campaign: c.id },
  );
  const byId = new Map(shown.map((s) => [s.id, s]));
  return picked.map((p) => ({
    customerId: p.id,
    name: byId.get(p.id)?.name ?? '',
    phone: byId.get(p.id)?.phone ?? null,
    platform: p.platform,
    text: p.text,
  }));
}
