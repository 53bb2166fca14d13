import { expect } from 'vitest';
import { type Harness, waitFor } from '../helpers/harness.ts';

/** A campaign as the API shows it. */
export interface CampaignView {
  id: number;
  name: string;
  status: string;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  recipients: { total: number; byStatus: Record<string, number>; byReason: Record<string, number> };
  massSends: Array<{
    sender: string;
    status: string;
    customers: number;
    failed: number;
    confirmedAt: string | null;
  }>;
}

export interface PreviewView {
  segmentSize: number;
  holdout: number;
  skipped: Record<string, number>;
  reachable: {
    total: number;
    byRoute: { chat: number; wecom_template: number };
    byPlatform: Record<string, number>;
  };
  wecomSenders: Array<{ sender: string; customers: number }>;
  shownAs: Array<{ route: string; platform: string; text: string; attachments: string[] }>;
}

/** POSTs JSON to the API with the admin token. */
export const post = <T = unknown>(h: Harness, path: string, body: unknown = {}) =>
  h.api<T>(path, undefined, { method: 'POST', body: JSON.stringify(body) });

/** Saves a segment through the segments API; its id. */
export async function newSegment(h: Harness, name: string, filter: unknown): Promise<number> {
  const r = await post<{ id: number }>(h, '/segments', { name, filter });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

/** Creates a campaign through the API; it must succeed. */
export async function newCampaign(h: Harness, body: Record<string, unknown>): Promise<CampaignView> {
  const r = await post<CampaignView>(h, '/campaigns', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

export const campaignOf = async (h: Harness, id: number) =>
  (await h.api<CampaignView>(`/campaigns/${id}`)).body;

/** Waits until the campaign reaches `status` (and `more`, when given, holds). */
export const untilStatus = (
  h: Harness,
  id: number,
  status: string,
  more?: (c: CampaignView) => boolean,
  ms = 10_000,
) =>
  waitFor(async () => {
    const c = await campaignOf(h, id);
    return c.status === status && (!more || more(c)) ? c : undefined;
  }, ms);

/** Recipients of a campaign by customer id: status and reason. */
export async function recipients(h: Harness, campaignId: number) {
  const rows = await h.db
    .selectFrom('campaign_recipients')
    .select(['customer_id', 'status', 'reason', 'route', 'mass_send_id'])
    .where('campaign_id', '=', campaignId)
    .orderBy('customer_id')
    .execute();
  return new Map(rows.map((r) => [r.customer_id, r]));
}

/** Lets the background loops run a few rounds (for asserting that something does NOT happen). */
export const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
