import type { ChannelCodeKind, Platform } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs, mayMarket } from '../../kernel/permissions/actor.ts';
import { ownerTeamFor } from '../../kernel/permissions/ownership.ts';
import { canSeeCustomer } from '../../kernel/permissions/scope.ts';
import { managesStaff } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import {
  type ChannelCodeOutcome,
  type ChannelCodeRow,
  createChannelCode,
  deactivateChannelCode,
  findChannelCode,
} from './codes.ts';
import { type ChannelCodeWithCounts, listChannelCodes } from './listing.ts';

// Channel codes as a staff member manages them from a page: the same rules as the API's, checked here once.

/** A platform that makes channel codes, and how: a link per code (`link`) or a chat each code is bound to (`chat`). */
export interface ChannelPlatform {
  platform: Platform;
  by: 'link' | 'chat';
  maxCodeLength: number;
  /** A link is a QR code's picture the platform made (rather than a link to open). */
  linksAreQrCodes: boolean;
  /** A link needs staff with an account on the platform. */
  needsMembers: boolean;
}

/** The configured platforms that make channel codes, in the order they are configured. */
export function channelPlatforms(deps: Pick<CoreDeps, 'adapters'>): ChannelPlatform[] {
  return [...deps.adapters.values()].flatMap((a) =>
    a.channels
      ? [
          {
            platform: a.platform,
            by: a.channels.by,
            maxCodeLength: a.channels.maxCodeLength,
            linksAreQrCodes: a.channels.linksAreQrCodes === true,
            needsMembers: a.channels.needsMembers === true,
          },
        ]
      : [],
  );
}

/** The channel codes the actor reaches, newest first, with how many customers each brought. */
export function channelCodesFor(deps: Pick<CoreDeps, 'db'>, actor: Actor): Promise<ChannelCodeWithCounts[]> {
  return listChannelCodes(deps.db, actor.viewer ? { viewer: actor.viewer } : {});
}

/** What a staff member gives to make a channel code. */
export interface ChannelCodeRequest {
  name: string;
  kind: ChannelCodeKind;
  platform: Platform;
  code?: string;
  staffIds?: number[];
  chatId?: string;
  referrerCustomerId?: number;
  welcome?: string;
  tags?: string[];
}

export type ManagedCodeOutcome =
  | ChannelCodeOutcome
  | { ok: false; status: 'not_allowed'; field?: string; error: string };

/**
 * Creates a channel code for the actor (managers and above), owned by a manager's team, with staff they manage only;
 * audited. Keyed by the request: without a code of its own, the code derives from `requestKey`, so a retry answers
 * with the code the first attempt made instead of making a second one.
 */
export async function createChannelCodeAs(
  deps: CoreDeps,
  actor: Actor,
  input: ChannelCodeRequest,
  requestKey: string,
): Promise<ManagedCodeOutcome> {
  if (!mayMarket(actor))
    return { ok: false, status: 'not_allowed', error: 'channel codes are made by managers and above' };
  const { db } = deps;
  const viewer = actor.viewer;
  for (const staffId of input.staffIds ?? []) {
    if (viewer && !(await managesStaff(db, viewer, staffId)))
      return { ok: false, status: 'not_allowed', field: 'staff', error: 'staff you do not manage' };
  }
  if (
    viewer &&
    input.referrerCustomerId !== undefined &&
    !(await canSeeCustomer(db, viewer, input.referrerCustomerId))
  )
    return { ok: false, status: 'invalid', field: 'referrerCustomerId', error: 'no such customer' };
  const code = input.code ?? (await codeOfRequest(requestKey));
  const earlier = await findChannelCode(db, code);
  if (earlier && sameRequest(earlier, actor, input)) return { ok: true, channel: earlier };
  const made = await createChannelCode(deps, {
    ...input,
    code,
    createdByStaffId: actor.staffId,
    ownerTeamId: ownerTeamFor(viewer),
  });
  if (made.ok) {
    const c = made.channel;
    await audit(db, deps.clock.now(), {
      ...auditedAs(actor),
      action: 'channel_code.created',
      subjectKind: 'channel_code',
      subjectId: c.id,
      detail: { code: c.code, kind: c.kind, platform: c.platform },
    });
  }
  return made;
}

/**
 * Deactivates a channel code for the actor (managers and above, of a code their team owns; directors and admins,
 * any), the platform's side first. Audited when it changed something; a second call changes nothing.
 */
export async function deactivateChannelCodeAs(
  deps: CoreDeps,
  actor: Actor,
  id: number,
): Promise<
  | { ok: true; channel: ChannelCodeRow; changed: boolean }
  | { ok: false; status: 'unknown' | 'not_allowed' }
  | { ok: false; status: 'refused'; error: string; errcode: number | null }
> {
  if (!mayMarket(actor)) return { ok: false, status: 'not_allowed' };
  const outcome = await deactivateChannelCode(deps, id, actor.viewer);
  if (outcome.ok && outcome.changed)
    await audit(deps.db, deps.clock.now(), {
      ...auditedAs(actor),
      action: 'channel_code.deactivated',
      subjectKind: 'channel_code',
      subjectId: id,
      detail: { code: outcome.channel.code, platform: outcome.channel.platform },
    });
  return outcome;
}

/** A code of 12 letters and digits derived from the request key (within every platform's limit). */
async function codeOfRequest(requestKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(requestKey));
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Whether an existing code is what this request made before (a retry), not someone else's. */
const sameRequest = (c: ChannelCodeRow, actor: Actor, input: ChannelCodeRequest): boolean =>
  (c.created_by_staff_id === null ? null : Number(c.created_by_staff_id)) === actor.staffId &&
  c.name === input.name &&
  c.platform === input.platform &&
  c.kind === input.kind;
