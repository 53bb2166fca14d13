import type {
  ContactDirectory,
  ContactProfile,
  GroupProfile,
  PlatformTag,
} from '../../src/core/ports/adapter.ts';
import { readAnswer, type WecomApi, WecomError } from './api.ts';
import {
  type CorpTagListResponse,
  corpTagListAnswer,
  type ExternalContactResponse,
  externalContactAnswer,
  type GroupChatResponse,
  groupChatAnswer,
  type WecomConfig,
} from './types.ts';

const CONTACT_GET = '/cgi-bin/externalcontact/get';
const GROUP_GET = '/cgi-bin/externalcontact/groupchat/get';
const TAG_LIST = '/cgi-bin/externalcontact/get_corp_tag_list';

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
          api.call<ExternalContactResponse>(secret, CONTACT_GET, {
            query: { external_userid: externalId, ...(cursor ? { cursor } : {}) },
          }),
        );
        const r = answer && readAnswer(externalContactAnswer, answer, CONTACT_GET);
        if (!r?.external_contact) return profile;
        const c = r.external_contact;
        profile ??= {
          externalId: c.external_userid,
          name: c.name,
          followers: [],
          ...(c.corp_full_name || c.corp_name ? { company: c.corp_full_name ?? c.corp_name } : {}),
          ...(c.unionid ? { unionId: c.unionid } : {}),
          ...(c.type !== undefined ? { type: c.type } : {}),
          ...(c.gender !== undefined ? { gender: c.gender } : {}),
          ...(c.avatar ? { avatarUrl: c.avatar } : {}),
        };
        for (const f of r.follow_user) {
          profile.followers.push({
            memberId: f.userid,
            phones: f.remark_mobiles,
            // Corp tags only (type 1): personal tags cannot be set through the API, so they cannot round-trip.
            tags: f.tags
              .filter((t) => (t.type ?? 1) === 1)
              .map((t) => ({
                id: t.tag_id ?? t.tag_name,
                name: t.tag_name,
                ...(t.group_name ? { group: t.group_name } : {}),
              })),
            ...(f.remark ? { remark: f.remark } : {}),
            ...(f.description ? { description: f.description } : {}),
            ...(f.remark_corp_name ? { company: f.remark_corp_name } : {}),
            ...(f.state ? { channel: f.state } : {}),
            ...(f.createtime ? { addedAt: f.createtime * 1000 } : {}),
          });
        }
        cursor = r.next_cursor ?? '';
      } while (cursor);
      return profile;
    },

    async fetchGroup(chatId) {
      const answer = await orNull(
        api.call<GroupChatResponse>(secret, GROUP_GET, { body: { chat_id: chatId, need_name: 1 } }),
      );
      const g = answer && readAnswer(groupChatAnswer, answer, GROUP_GET).group_chat;
      if (!g) return null;
      const group: GroupProfile = {
        chat: {
          key: `group:${g.chat_id}`,
          kind: 'external_group',
          platformChatId: g.chat_id,
          ...(g.name ? { title: g.name } : {}),
        },
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
  };
}

/** The corp's tags (deleted ones left out), with their groups. */
export async function corpTags(api: WecomApi, secret: string, signal?: AbortSignal): Promise<PlatformTag[]> {
  const answer = await api.call<CorpTagListResponse>(secret, TAG_LIST, {
    body: {},
    ...(signal ? { signal } : {}),
  });
  return readAnswer(corpTagListAnswer, answer, TAG_LIST)
    .tag_group.filter((g) => !g.deleted)
    .flatMap((g) =>
      g.tag
        .filter((t) => !t.deleted)
        .map((t) => ({ id: t.id, name: t.name, groupId: g.group_id, groupName: g.group_name })),
    );
}

async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof WecomError && NOT_FOUND.has(error.code)) return null;
    throw error;
  }
}
