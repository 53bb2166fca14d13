import type { z } from 'zod';
import type {
  ContactDirectory,
  ContactProfile,
  DirectoryBulk,
  GroupProfile,
  PlatformTag,
} from '../../src/core/ports/adapter.ts';
import type { ChatRef } from '../../src/core/ports/events.ts';
import { readAnswer, type WecomApi, WecomError } from './api.ts';
import type { WecomConfig } from './types.ts';
import {
  batchByUserAnswer,
  corpTagListAnswer,
  externalContactAnswer,
  followUserListAnswer,
  groupChatAnswer,
  groupChatListAnswer,
  unassignedListAnswer,
} from './types.ts';

const CONTACT_GET = '/cgi-bin/externalcontact/get';
const GROUP_GET = '/cgi-bin/externalcontact/groupchat/get';
const TAG_LIST = '/cgi-bin/externalcontact/get_corp_tag_list';
const FOLLOW_USERS = '/cgi-bin/externalcontact/get_follow_user_list';
const BY_USER = '/cgi-bin/externalcontact/batch/get_by_user';
const GROUP_LIST = '/cgi-bin/externalcontact/groupchat/list';
const UNASSIGNED = '/cgi-bin/externalcontact/get_unassigned_list';
/** Bulk calls at most this often: 5,000 a minute, half of WeCom's 10,000 per corp and API, leaving room for events. */
const BULK_INTERVAL_MS = 12;

/** WeCom's errcodes for "no such contact / group" (a relation already gone, a dismissed group). */
const NOT_FOUND = new Set([84061, 40050, 40096]);

/** 客户联系 through the customer-contact secret (or the app's, when it holds customer-contact rights). */
export function wecomDirectory(api: WecomApi, config: WecomConfig): ContactDirectory {
  const secret = config.contactSecret ?? config.agentSecret;
  return {
    async fetchContact(externalId) {
      let cursor = '';
      let profile: ContactProfile | null = null;
      do {
        const answer = await orNull(
          api.call(secret, CONTACT_GET, {
            query: { external_userid: externalId, ...(cursor ? { cursor } : {}) },
          }),
        );
        const r = answer && readAnswer(externalContactAnswer, answer, CONTACT_GET);
        if (!r?.external_contact) return profile;
        const c = r.external_contact;
        profile ??= { ...profileOf(c), followers: [] };
        for (const f of r.follow_user) {
          profile.followers.push({
            ...followerOf(f),
            // Corp tags only (type 1): personal tags cannot be set through the API, so they cannot round-trip.
            tags: f.tags
              .filter((t) => (t.type ?? 1) === 1)
              .map((t) => ({
                id: t.tag_id ?? t.tag_name,
                name: t.tag_name,
                ...(t.group_name ? { group: t.group_name } : {}),
              })),
          });
        }
        cursor = r.next_cursor ?? '';
      } while (cursor);
      return profile;
    },

    async fetchGroup(chatId) {
      const answer = await orNull(api.call(secret, GROUP_GET, { body: { chat_id: chatId, need_name: 1 } }));
      const g = answer && readAnswer(groupChatAnswer, answer, GROUP_GET).group_chat;
      if (!g) return null;
      const group: GroupProfile = {
        chat: { ...groupRef(g.chat_id), ...(g.name ? { title: g.name } : {}) },
        members: g.member_list.map((m) => ({
          id: m.userid,
          isStaff: m.type === 1,
          ...(m.name ? { name: m.name } : {}),
          ...(m.unionid ? { unionId: m.unionid } : {}),
          ...(m.join_time ? { joinedAt: m.join_time * 1000 } : {}),
        })),
        ...(g.owner ? { ownerMemberId: g.owner } : {}),
      };
      return group;
    },

    listTags: () => corpTags(api, secret),
    bulk: wecomBulk(api, secret),
  };
}

/** The whole book, paged: one request in flight at a time (WeCom's 45033 caps concurrency), paced. */
function wecomBulk(api: WecomApi, secret: string): DirectoryBulk {
  let nextCallAt = 0;
  let tagNames = new Map<string, { name: string; group?: string }>();
  const paced = async <T>(call: () => Promise<T>): Promise<T> => {
    const wait = nextCallAt - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    nextCallAt = Date.now() + BULK_INTERVAL_MS;
    return call();
  };
  // batch/get_by_user names tags by id only: the catalogue is read again when an id is not in it.
  const tagsOf = async (ids: string[]) => {
    if (ids.some((id) => !tagNames.has(id))) {
      const tags = await paced(() => corpTags(api, secret));
      tagNames = new Map(
        tags.map((t) => [t.id, { name: t.name, ...(t.groupName ? { group: t.groupName } : {}) }]),
      );
    }
    return ids.flatMap((id) => {
      const t = tagNames.get(id);
      return t ? [{ id, ...t }] : [];
    });
  };
  return {
    membersPerCall: 100,
    async listMembers() {
      const answer = await paced(() => api.call(secret, FOLLOW_USERS));
      return readAnswer(followUserListAnswer, answer, FOLLOW_USERS).follow_user;
    },
    async listContacts(memberIds, cursor) {
      const answer = await paced(() =>
        api.call(secret, BY_USER, {
          body: { userid_list: memberIds, limit: 100, ...(cursor ? { cursor } : {}) },
        }),
      );
      const r = readAnswer(batchByUserAnswer, answer, BY_USER);
      const items: ContactProfile[] = [];
      for (const { external_contact: c, follow_info: f } of r.external_contact_list) {
        items.push({
          ...profileOf(c),
          followers: [{ ...followerOf(f), tags: await tagsOf(f.tag_id) }],
        });
      }
      return { items, nextCursor: r.next_cursor ?? '' };
    },
    async listGroups(memberIds, cursor) {
      const answer = await paced(() =>
        api.call(secret, GROUP_LIST, {
          body: {
            status_filter: 0,
            owner_filter: { userid_list: memberIds },
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          },
        }),
      );
      const r = readAnswer(groupChatListAnswer, answer, GROUP_LIST);
      return { items: r.group_chat_list.map((g) => groupRef(g.chat_id)), nextCursor: r.next_cursor ?? '' };
    },
    async listDeparted(cursor) {
      const answer = await paced(() =>
        api.call(secret, UNASSIGNED, { body: { page_size: 1000, ...(cursor ? { cursor } : {}) } }),
      );
      const r = readAnswer(unassignedListAnswer, answer, UNASSIGNED);
      return {
        items: r.info.map((i) => ({
          memberId: i.handover_userid,
          customerExternalId: i.external_userid,
          ...(i.dimission_time ? { leftAt: i.dimission_time * 1000 } : {}),
        })),
        // `is_last` is the end; a cursor left over with it is not followed.
        nextCursor: r.is_last === true ? '' : (r.next_cursor ?? ''),
      };
    },
  };
}

/** The corp's tags (deleted ones left out), with their groups. */
export async function corpTags(api: WecomApi, secret: string, signal?: AbortSignal): Promise<PlatformTag[]> {
  const answer = await api.read(corpTagListAnswer, secret, TAG_LIST, {
    body: {},
    ...(signal ? { signal } : {}),
  });
  return answer.tag_group
    .filter((g) => !g.deleted)
    .flatMap((g) =>
      g.tag
        .filter((t) => !t.deleted)
        .map((t) => ({ id: t.id, name: t.name, groupId: g.group_id, groupName: g.group_name })),
    );
}

/** A customer group (客户群) as the core keys it. */
const groupRef = (chatId: string): ChatRef => ({
  key: `group:${chatId}`,
  kind: 'external_group',
  platformChatId: chatId,
});

type ContactRead = NonNullable<z.infer<typeof externalContactAnswer>['external_contact']>;
interface FollowerRead {
  userid: string;
  remark?: string | undefined;
  description?: string | undefined;
  createtime?: number | undefined;
  remark_corp_name?: string | undefined;
  remark_mobiles: string[];
  state?: string | undefined;
}

/** The customer's own fields as WeCom describes them (`externalcontact/get` and `batch/get_by_user` alike). */
function profileOf(c: ContactRead): Omit<ContactProfile, 'followers'> {
  return {
    externalId: c.external_userid,
    name: c.name,
    ...(c.corp_full_name || c.corp_name ? { company: c.corp_full_name ?? c.corp_name } : {}),
    ...(c.unionid ? { unionId: c.unionid } : {}),
    ...(c.type !== undefined ? { type: c.type } : {}),
    ...(c.gender !== undefined ? { gender: c.gender } : {}),
    ...(c.avatar ? { avatarUrl: c.avatar } : {}),
  };
}

/** What one member noted about the customer, tags aside (they come as names or as ids, depending on the call). */
function followerOf(f: FollowerRead): Omit<ContactProfile['followers'][number], 'tags'> {
  return {
    memberId: f.userid,
    phones: f.remark_mobiles.filter((p) => p.trim() !== ''),
    ...(f.remark ? { remark: f.remark } : {}),
    ...(f.description ? { description: f.description } : {}),
    ...(f.remark_corp_name ? { company: f.remark_corp_name } : {}),
    ...(f.state ? { channel: f.state } : {}),
    ...(f.createtime ? { addedAt: f.createtime * 1000 } : {}),
  };
}

async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof WecomError && NOT_FOUND.has(error.code)) return null;
    throw error;
  }
}
