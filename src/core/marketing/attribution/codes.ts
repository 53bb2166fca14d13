import type { Kysely, Selectable } from 'kysely';
import type { ChannelCodeKind, ChannelCodeTable, Database, Platform } from '../../../../db/schema.ts';
import { mayChangeOwned, ownerReach } from '../../kernel/permissions/ownership.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { refusalOf } from '../../ports/adapter.ts';

export type ChannelCodeRow = Selectable<ChannelCodeTable>;

export const CHANNEL_KINDS = [
  'campaign',
  'rep',
  'event',
  'referral',
  'other',
] as const satisfies readonly ChannelCodeKind[];

/** The longest code where the platform sets no limit of its own. */
const MAX_CODE_LENGTH = 64;
const CODE_CHARS = /^[A-Za-z0-9_-]+$/;

/** What creating a channel code needs. */
export interface NewChannelCode {
  /** Generated when absent. */
  code?: string;
  name: string;
  kind: ChannelCodeKind;
  platform: Platform;
  /** Whom a customer is put in touch with (WeCom contact-me members); the first is the code's rep. */
  staffIds?: number[];
  /** Feishu: the external chat the code is bound to. */
  chatId?: string;
  campaignId?: number;
  referrerCustomerId?: number;
  createdByStaffId: number | null;
  /** The team it belongs to (a manager creator's); null or absent: the organisation's. */
  ownerTeamId?: number | null;
  /** The welcome (欢迎语) a new contact who came through it gets (`{name}`: theirs); absent: the default. */
  welcome?: string;
  /** Tags given to the customers who come in through it. */
  tags?: string[];
}

export type ChannelCodeOutcome =
  | { ok: true; channel: ChannelCodeRow }
  | { ok: false; status: 'invalid'; field: string; error: string }
  | { ok: false; status: 'conflict'; field: string; error: string }
  | { ok: false; status: 'unconfigured'; error: string }
  | { ok: false; status: 'refused'; error: string; errcode: number | null };

/** A random code of lowercase letters and digits, e.g. `k3v9q2m7xa`. */
export function generateCode(prefix = '', length = 10): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return prefix + [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Creates a channel code and, where the platform makes one, its link: a WeCom contact-me QR code whose `state` is the
 * code (through `add_contact_way`), a Telegram deep link, or (Feishu, which has no such link) the binding of an
 * external chat. Nothing is stored when the platform refuses.
 */
export async function createChannelCode(deps: CoreDeps, input: NewChannelCode): Promise<ChannelCodeOutcome> {
  const { db } = deps;
  const code = input.code ?? generateCode();
  const max = deps.adapters.get(input.platform)?.channels?.maxCodeLength ?? MAX_CODE_LENGTH;
  if (!CODE_CHARS.test(code) || code.length > max)
    return invalid('code', `code must be 1–${max} characters of A-Z a-z 0-9 _ -`);
  if ((input.kind === 'referral') !== (input.referrerCustomerId !== undefined))
    return invalid(
      'referrerCustomerId',
      'a referral code, and only a referral code, names the referring customer',
    );
  if (input.referrerCustomerId !== undefined && !(await liveCustomer(db, input.referrerCustomerId)))
    return invalid('referrerCustomerId', 'no such customer');
  if (
    input.campaignId !== undefined &&
    !(await db.selectFrom('campaigns').select('id').where('id', '=', input.campaignId).executeTakeFirst())
  )
    return invalid('campaignId', 'no such campaign');
  const adapter = deps.adapters.get(input.platform);
  if (!adapter) return { ok: false, status: 'unconfigured', error: `${input.platform} is not configured` };
  if (await db.selectFrom('channel_codes').select('id').where('code', '=', code).executeTakeFirst())
    return { ok: false, status: 'conflict', field: 'code', error: `a channel code "${code}" exists` };
  const staffIds = [...new Set(input.staffIds ?? [])];
  if (staffIds.length > 0) {
    const found = await db
      .selectFrom('staff')
      .select('id')
      .where('id', 'in', staffIds)
      .where('active', '=', 1)
      .execute();
    if (found.length !== staffIds.length)
      return invalid('staff', 'every staff id must be an active staff member');
  }
  let made: { link: string | null; platformRef: string | null };
  const ways = adapter.channels;
  if (!ways) return { ok: false, status: 'unconfigured', error: `${input.platform} makes no channel links` };
  if (ways.by === 'chat') {
    if (!input.chatId)
      return invalid('chatId', `a ${input.platform} channel code is bound to an external chat: give chatId`);
    const bound = await boundCode(db, input.platform, adapter.workspace, input.chatId);
    if (bound)
      return {
        ok: false,
        status: 'conflict',
        field: 'chatId',
        error: `the chat is bound to "${bound.code}"`,
      };
    made = { link: null, platformRef: input.chatId };
  } else {
    const members = await platformMembers(db, input.platform, adapter.peopleWorkspace, staffIds);
    if (ways.needsMembers && members.length === 0)
      return invalid('staff', `a ${input.platform} contact-me code needs staff with an account there`);
    try {
      if (!ways.create) throw new Error('the adapter makes no links');
      const link = await ways.create(code, members);
      made = { link: link.link, platformRef: link.platformRef ?? null };
    } catch (error) {
      const refusal = refusalOf(error);
      return {
        ok: false,
        status: 'refused',
        error: `${input.platform} refused the link: ${refusal.message}`,
        errcode: refusal.code,
      };
    }
  }
  const now = deps.clock.now();
  const inserted = await db
    .insertInto('channel_codes')
    .values({
      code,
      name: input.name,
      kind: input.kind,
      platform: input.platform,
      workspace: adapter.workspace,
      campaign_id: input.campaignId ?? null,
      staff_id: staffIds[0] ?? null,
      referrer_customer_id: input.referrerCustomerId ?? null,
      platform_ref: made.platformRef,
      link: made.link,
      welcome: input.welcome ?? null,
      tags: input.tags && input.tags.length > 0 ? JSON.stringify(input.tags) : null,
      active: 1,
      created_by_staff_id: input.createdByStaffId,
      owner_team_id: input.ownerTeamId ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    // Another request took the code meanwhile: undo the platform side made for this one.
    if (made.platformRef && ways.by === 'link') await ways.remove?.(made.platformRef).catch(() => undefined);
    return { ok: false, status: 'conflict', field: 'code', error: `a channel code "${code}" exists` };
  }
  const channel = await findChannelCode(db, code);
  if (!channel) throw new Error('channel code vanished right after insert');
  return { ok: true, channel };
}

/**
 * Deactivates a code: the platform's side is removed first (WeCom `del_contact_way`), so a refusal leaves it active.
 * Deactivating an inactive code changes nothing.
 */
export async function deactivateChannelCode(
  deps: CoreDeps,
  id: number,
  viewer: Viewer | null,
): Promise<
  | { ok: true; channel: ChannelCodeRow; changed: boolean }
  | { ok: false; status: 'unknown' }
  | { ok: false; status: 'refused'; error: string; errcode: number | null }
> {
  const { db } = deps;
  const channel = await db.selectFrom('channel_codes').selectAll().where('id', '=', id).executeTakeFirst();
  // Another team's code is answered as unknown: only its team's managers (and directors, admins) switch it off.
  if (!channel || !mayChangeOwned(await ownerReach(db, viewer), channel))
    return { ok: false, status: 'unknown' };
  if (channel.active === 0) return { ok: true, channel, changed: false };
  const ways = deps.adapters.get(channel.platform)?.channels;
  if (channel.platform_ref && ways?.by === 'link' && ways.remove) {
    try {
      await ways.remove(channel.platform_ref);
    } catch (error) {
      const refusal = refusalOf(error);
      return {
        ok: false,
        status: 'refused',
        error: `${channel.platform} refused to remove the link: ${refusal.message}`,
        errcode: refusal.code,
      };
    }
  }
  const now = deps.clock.now();
  await db.updateTable('channel_codes').set({ active: 0, updated_at: now }).where('id', '=', id).execute();
  return { ok: true, channel: { ...channel, active: 0, updated_at: now }, changed: true };
}

/** A channel code by its code, `#id` or id. */
export async function findChannelCode(db: Kysely<Database>, ref: string): Promise<ChannelCodeRow | null> {
  const s = ref.trim();
  const byCode = await db.selectFrom('channel_codes').selectAll().where('code', '=', s).executeTakeFirst();
  if (byCode) return byCode;
  const id = /^#?(\d{1,15})$/.exec(s)?.[1];
  if (id === undefined) return null;
  return (
    (await db.selectFrom('channel_codes').selectAll().where('id', '=', Number(id)).executeTakeFirst()) ?? null
  );
}

/** The active code a chat is bound to, if any (platforms whose ways in are chats). */
function boundCode(db: Kysely<Database>, platform: Platform, workspace: string, chatId: string) {
  return db
    .selectFrom('channel_codes')
    .select('code')
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('platform_ref', '=', chatId)
    .where('active', '=', 1)
    .executeTakeFirst();
}

/** The platform user ids of these staff members (their WeCom userids, say), in the order given. */
async function platformMembers(
  db: Kysely<Database>,
  platform: Platform,
  workspace: string,
  staffIds: number[],
): Promise<string[]> {
  if (staffIds.length === 0) return [];
  const rows = await db
    .selectFrom('staff_identities')
    .select(['staff_id', 'external_id'])
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('staff_id', 'in', staffIds)
    .orderBy('id')
    .execute();
  return staffIds.flatMap((id) => rows.filter((r) => Number(r.staff_id) === id).map((r) => r.external_id));
}

async function liveCustomer(db: Kysely<Database>, id: number): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', id)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

const invalid = (field: string, error: string) => ({ ok: false, status: 'invalid', field, error }) as const;
