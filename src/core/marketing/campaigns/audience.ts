import { ownerNow } from '../../kernel/permissions/ownership.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { findSegment, segmentCustomerIds, storedFilter } from '../../reading/segments/segments.ts';
import type { CampaignRow } from './campaigns.ts';

/**
 * Whether a customer is in a campaign's holdout (the comparison group nobody sends to): a hash of campaign and
 * customer, so the same customer lands on the same side in the preview, at launch and after a restart.
 */
export function inHoldout(campaignId: number, customerId: number, holdoutPct: number): boolean {
  if (holdoutPct <= 0) return false;
  // FNV-1a (32 bit): stable, well spread, and free of node:crypto (the core runs on Workers too).
  let h = 0x811c9dc5;
  for (const ch of `${campaignId}:${customerId}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100 < holdoutPct;
}

/**
 * The customers a campaign's segment holds now, in the campaign's scope (ids ascending); null when the segment or its
 * scope is gone (deleted segment, deactivated staff member), so nobody is reached by mistake.
 */
export async function campaignMembers(deps: CoreDeps, c: CampaignRow, now: number): Promise<number[] | null> {
  const segment = await findSegment(deps.db, `#${c.segment_id}`);
  if (!segment || segment.id !== c.segment_id) return null;
  const parsed = storedFilter(segment);
  if (!parsed.ok) return null;
  const viewer = await ownerNow(deps.db, c.scope_staff_id);
  if (viewer === 'gone') return null;
  return segmentCustomerIds(deps, parsed.filter, viewer, now);
}

/** Splits a list into chunks (D1 binds at most 100 parameters per statement). */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
