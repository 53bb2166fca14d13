import type { PlatformTag } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import type { TransferResultEvent } from '../../src/core/ports/events.ts';
import type { PlatformAction, SendResult } from '../../src/core/ports/outbound.ts';
import { type WecomApi, WecomError } from './api.ts';
import { corpTags } from './contacts.ts';
import { performMassSend } from './mass-sends.ts';
import { asFailure } from './send.ts';
import { performServiceAction } from './service.ts';
import type { WecomConfig } from './types.ts';
import { addCorpTagAnswer, groupTransferAnswer, transferAnswer, transferResultAnswer } from './types.ts';

/** send_welcome_msg: 'externaluser has started chatting' — a welcome was delivered already. */
const WELCOME_DELIVERED = 41051;
const CHECK_TRANSFERS_AFTER_MS = 15 * 60_000;
const CHECK_AGAIN_AFTER_MS = 60 * 60_000;
const TRANSFER_STATUS = { 1: 'done', 2: 'waiting', 3: 'refused', 4: 'limit', 5: 'no_record' } as const;

/**
 * Platform actions the outbox hands over (the `perform` port): mass sends (mass-sends.ts) and 微信客服 actions
 * (service.ts) go to the file of their port; tag mirroring, transfers and welcome messages are done here.
 */
export function wecomActions(api: WecomApi, config: WecomConfig, clock: Clock) {
  const secret = config.contactSecret ?? config.agentSecret;
  const person = (id: string) => ({ externalId: id, workspace: config.corpId });

  /** Tag ids by name, adding missing tags to Liaison's group (WeCom creates the group with its first tag). */
  async function tagIds(names: string[], create: boolean, signal?: AbortSignal): Promise<string[]> {
    if (names.length === 0) return [];
    const all = await corpTags(api, secret, signal);
    const find = (name: string) =>
      all.find((t) => t.name === name && t.groupName === config.tagGroup) ?? all.find((t) => t.name === name);
    const missing = names.filter((n) => !find(n));
    if (missing.length > 0 && create) {
      const created = await api.read(addCorpTagAnswer, secret, '/cgi-bin/externalcontact/add_corp_tag', {
        body: { group_name: config.tagGroup, tag: missing.map((name) => ({ name })) },
        ...(signal ? { signal } : {}),
      });
      const group = created.tag_group;
      for (const t of group?.tag ?? []) all.push({ id: t.id, name: t.name, groupName: config.tagGroup });
    }
    return names.flatMap((n) => (find(n) ? [(find(n) as PlatformTag).id] : []));
  }

  async function perform(action: PlatformAction, signal?: AbortSignal): Promise<SendResult> {
    const s = signal ? { signal } : {};
    if (action.type === 'create_mass_send' || action.type === 'check_mass_send')
      return performMassSend(api, config, clock, action, signal);
    if (
      action.type === 'service_event_message' ||
      action.type === 'service_handoff' ||
      action.type === 'service_take'
    )
      return performServiceAction(api, config, action, signal);
    if (action.type === 'contact_welcome') return sendWelcome(action.code, action.text, signal);
    if (action.type === 'create_topic')
      return { ok: false, retryable: false, error: 'WeCom chats have no topics' };
    try {
      switch (action.type) {
        case 'sync_tags': {
          const add = await tagIds(action.add, true, signal);
          const remove = await tagIds(action.remove, false, signal);
          if (add.length > 0 || remove.length > 0) {
            await api.call(secret, '/cgi-bin/externalcontact/mark_tag', {
              body: {
                userid: action.memberId,
                external_userid: action.customerExternalId,
                add_tag: add,
                remove_tag: remove,
              },
              ...s,
            });
          }
          return {
            ok: true,
            events: [
              {
                platform: 'wecom',
                workspace: config.corpId,
                occurredAt: clock.now(),
                kind: 'tags_mirrored',
                customer: person(action.customerExternalId),
                added: action.add,
              },
            ],
          };
        }
        case 'transfer_customers': {
          const path = action.resigned
            ? '/cgi-bin/externalcontact/resigned/transfer_customer'
            : '/cgi-bin/externalcontact/transfer_customer';
          const r = await api.read(transferAnswer, secret, path, {
            body: {
              handover_userid: action.fromMember,
              takeover_userid: action.toMember,
              external_userid: action.customerExternalIds,
            },
            ...s,
          });
          const results: TransferResultEvent['results'] = r.customer.map((c) => ({
            customerExternalId: c.external_userid,
            fromMember: action.fromMember,
            toMember: action.toMember,
            status: c.errcode === 0 ? 'waiting' : 'failed',
            ...(c.errcode === 0 ? {} : { reason: `errcode ${c.errcode}` }),
          }));
          const check = {
            type: 'check_transfers' as const,
            fromMember: action.fromMember,
            toMember: action.toMember,
            resigned: action.resigned,
          };
          return {
            ok: true,
            events: [transferEvent(results)],
            followUps: [{ action: check, afterMs: CHECK_TRANSFERS_AFTER_MS }],
          };
        }
        case 'transfer_groups': {
          // 离职继承 of customer groups: the answer lists only the groups refused (90501 not a customer group…).
          const r = await api.read(
            groupTransferAnswer,
            secret,
            '/cgi-bin/externalcontact/groupchat/transfer',
            {
              body: { chat_id_list: action.chatIds, new_owner: action.toMember },
              ...s,
            },
          );
          const failed = r.failed_chat_list
            .filter((f) => f.errcode !== 0)
            .map((f) => ({ chatId: f.chat_id, reason: `errcode ${f.errcode}` }));
          const refused = new Set(failed.map((f) => f.chatId));
          return {
            ok: true,
            events: [
              {
                platform: 'wecom',
                workspace: config.corpId,
                occurredAt: clock.now(),
                kind: 'group_transfer_result',
                fromMember: action.fromMember,
                toMember: action.toMember,
                transferred: action.chatIds.filter((id) => !refused.has(id)),
                failed,
                ...(action.requestedBy !== undefined ? { requestedBy: action.requestedBy } : {}),
              },
            ],
          };
        }
        case 'check_transfers': {
          const path = action.resigned
            ? '/cgi-bin/externalcontact/resigned/transfer_result'
            : '/cgi-bin/externalcontact/transfer_result';
          const results: TransferResultEvent['results'] = [];
          let cursor = '';
          do {
            const r = await api.read(transferResultAnswer, secret, path, {
              body: {
                handover_userid: action.fromMember,
                takeover_userid: action.toMember,
                ...(cursor ? { cursor } : {}),
              },
              ...s,
            });
            for (const c of r.customer) {
              const status = TRANSFER_STATUS[c.status as keyof typeof TRANSFER_STATUS] ?? 'failed';
              results.push({
                customerExternalId: c.external_userid,
                fromMember: action.fromMember,
                toMember: action.toMember,
                status,
              });
            }
            cursor = r.next_cursor ?? '';
          } while (cursor);
          const waiting = results.some((r) => r.status === 'waiting');
          return {
            ok: true,
            events: [transferEvent(results)],
            followUps: waiting ? [{ action, afterMs: CHECK_AGAIN_AFTER_MS }] : [],
          };
        }
      }
    } catch (error) {
      return asFailure(error);
    }
  }

  /** 欢迎语 with the event's code: once; 41051 means it was delivered already (or they chatted), so it is done. */
  async function sendWelcome(code: string, text: string, signal?: AbortSignal): Promise<SendResult> {
    try {
      await api.call(secret, '/cgi-bin/externalcontact/send_welcome_msg', {
        body: { welcome_code: code, text: { content: text } },
        ...(signal ? { signal } : {}),
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof WecomError && error.code === WELCOME_DELIVERED) return { ok: true };
      return asFailure(error);
    }
  }

  function transferEvent(results: TransferResultEvent['results']): TransferResultEvent {
    return {
      platform: 'wecom',
      workspace: config.corpId,
      occurredAt: clock.now(),
      kind: 'transfer_result',
      results,
    };
  }

  return perform;
}
