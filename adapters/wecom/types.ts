import { z } from 'zod';
import { integer, textId } from '../payload.ts';

/** What the WeCom adapter needs from the configuration. */
export interface WecomConfig {
  corpId: string;
  token: string;
  encodingAesKey: string;
  agentId: number;
  agentSecret: string;
  /** 客户联系 secret; the app secret is used when absent (the app must then hold customer-contact rights). */
  contactSecret: string | null;
  /** 微信客服 secret; customer-service messages are off without it. */
  kfSecret: string | null;
  /** Standard Webhooks secret (`whsec_…`) of the chat archive companion's pushes; the archive route is off without it. */
  archiveSecret?: string | null;
  apiBase: string;
  /** The corp tag group Liaison's tags are mirrored into (created when missing). */
  tagGroup: string;
}

/** A decrypted callback body: every field WeCom sends is a string in XML. */
export type WecomXml = Record<string, string | undefined>;

export interface WecomResponse {
  errcode: number;
  errmsg: string;
}

export type { KfMessageRead } from './service.ts';

/** Errcodes that mean "try again later": busy, frequency and concurrency limits. */
export const RETRYABLE_ERRCODES = new Set([-1, 45009, 45011, 45033]);
/** Errcodes for a token that must be fetched anew. */
export const TOKEN_ERRCODES = new Set([40014, 42001]);

/*
 * WeCom API answers as Liaison reads them, checked at run time (api.ts `read`). What WeCom really sends passes: ids
 * and phones as text or as numbers (read as text), optional fields missing or null. Anything else refuses the answer
 * with a MalformedPayloadError naming the field, so a wrong-typed field never reaches the core as `undefined` or as a
 * number where text is expected. Objects stay loose: WeCom adds fields, and they pass.
 */

/** Numbers WeCom sends where the docs say text (phones, member and tag ids): read as their digits. */
const numberAsText = (v: unknown): unknown => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v);
/** A required id, as text or a number. */
export const anyId = z.preprocess(numberAsText, textId);
/** A field that may be missing or null (read as absent). */
const optional = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((v) => (v === null ? undefined : v) as Exclude<z.output<T>, null> | undefined);
const text = optional(z.string());
const idText = optional(z.preprocess(numberAsText, z.string()));
const int = optional(integer);
/** A list that may be missing or null (read as empty); every item must read. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((l) => (l ?? []) as Array<z.output<T>>);

const tag = z.object({ tag_name: z.string(), tag_id: idText, group_name: text, type: int }).loose();

const follower = z
  .object({
    userid: anyId,
    remark: text,
    description: text,
    createtime: int,
    tags: listOf(tag),
    remark_corp_name: text,
    remark_mobiles: listOf(z.preprocess(numberAsText, z.string())),
    state: text,
  })
  .loose();

const contact = z
  .object({
    external_userid: textId,
    name: optional(z.string()).transform((v) => v ?? ''),
    avatar: text,
    type: int,
    gender: int,
    unionid: text,
    corp_name: text,
    corp_full_name: text,
  })
  .loose();

/** `externalcontact/get`: the customer, and each staff member who has them as a contact. */
export const externalContactAnswer = z
  .object({ external_contact: contact.optional(), follow_user: listOf(follower), next_cursor: text })
  .loose();

/** `externalcontact/groupchat/get`: a customer group and its members. */
export const groupChatAnswer = z
  .object({
    group_chat: z
      .object({
        chat_id: textId,
        name: text,
        owner: idText,
        member_list: listOf(
          z.object({ userid: anyId, type: int, join_time: int, name: text, unionid: text }).loose(),
        ),
      })
      .loose()
      .optional(),
  })
  .loose();

/** `externalcontact/get_corp_tag_list`: the corp's tag groups and tags. */
export const corpTagListAnswer = z
  .object({
    tag_group: listOf(
      z
        .object({
          group_id: anyId,
          group_name: z.string(),
          deleted: optional(z.boolean()),
          tag: listOf(z.object({ id: anyId, name: z.string(), deleted: optional(z.boolean()) }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

/** `externalcontact/add_corp_tag`: the group the tags went into, with the new tags' ids. */
export const addCorpTagAnswer = z
  .object({
    tag_group: z
      .object({ group_id: anyId, tag: listOf(z.object({ id: anyId, name: z.string() }).loose()) })
      .loose()
      .optional(),
  })
  .loose();

/** `kf/sync_msg`: one page of customer-service messages (each message is read on its own, in service.ts). */
export const kfSyncAnswer = z
  .object({ next_cursor: text, has_more: int, msg_list: listOf(z.unknown()) })
  .loose();

/** `kf/customer/batchget`: names and unionids of customers. */
export const kfCustomersAnswer = z
  .object({
    customer_list: listOf(
      z.object({ external_userid: textId, nickname: text, unionid: text, gender: int }).loose(),
    ),
  })
  .loose();

/** `kf/service_state/get`: who holds a customer-service session. */
export const kfStateAnswer = z.object({ service_state: int, servicer_userid: idText }).loose();

/** `message/send`, `kf/send_msg`, `kf/send_msg_on_event`: the id of what was sent. */
export const sentAnswer = z.object({ msgid: idText }).loose();

/** `externalcontact/get_follow_user_list`: members with 客户联系 on, within the app's visible range. */
export const followUserListAnswer = z.object({ follow_user: listOf(anyId) }).loose();

/** `externalcontact/batch/get_by_user`: one entry per (customer, follower) pair; tags as ids only. */
export const batchByUserAnswer = z
  .object({
    external_contact_list: listOf(
      z
        .object({
          external_contact: contact,
          follow_info: follower
            .omit({ tags: true })
            .extend({ tag_id: listOf(z.preprocess(numberAsText, z.string())) })
            .loose(),
        })
        .loose(),
    ),
    next_cursor: text,
  })
  .loose();

/** `externalcontact/groupchat/list`: ids of customer groups, paged. */
export const groupChatListAnswer = z
  .object({ group_chat_list: listOf(z.object({ chat_id: textId }).loose()), next_cursor: text })
  .loose();

/** `externalcontact/get_unassigned_list`: customers of departed members awaiting 离职继承. */
export const unassignedListAnswer = z
  .object({
    info: listOf(z.object({ handover_userid: anyId, external_userid: textId, dimission_time: int }).loose()),
    is_last: optional(z.boolean()),
    next_cursor: text,
  })
  .loose();

/** `(resigned/)transfer_customer`: WeCom's answer for each customer (errcode 0: the transfer started). */
export const transferAnswer = z
  .object({ customer: listOf(z.object({ external_userid: textId, errcode: integer }).loose()) })
  .loose();

/** `(resigned/)transfer_result`: how each transfer stands (1 done … 5 no record). */
export const transferResultAnswer = z
  .object({
    customer: listOf(z.object({ external_userid: textId, status: integer, takeover_time: int }).loose()),
    next_cursor: text,
  })
  .loose();

/** `groupchat/transfer`: the groups WeCom refused, each with its errcode. */
export const groupTransferAnswer = z
  .object({
    failed_chat_list: listOf(z.object({ chat_id: textId, errcode: integer }).loose()),
  })
  .loose();

/** `add_contact_way`: the contact-me code's id and its QR code. */
export const contactWayAnswer = z.object({ config_id: text, qr_code: text }).loose();

/** `add_msg_template`: the mass-send task's id and the customers refused at once. */
export const msgTemplateAnswer = z.object({ msgid: text, fail_list: listOf(textId) }).loose();

/** `get_groupmsg_task`: each member's state of a mass-send task (2: sent). */
export const groupMsgTaskAnswer = z
  .object({
    task_list: listOf(z.object({ userid: anyId, status: integer, send_time: int }).loose()),
    next_cursor: text,
  })
  .loose();

/** `get_groupmsg_send_result`: each customer's result of a member's sending. */
export const groupMsgResultAnswer = z
  .object({
    send_list: listOf(
      z.object({ external_userid: text, userid: idText, status: integer, send_time: int }).loose(),
    ),
    next_cursor: text,
  })
  .loose();

/** `media/upload`: the temporary media's id. */
export const uploadAnswer = z.object({ media_id: text }).loose();

/** `gettoken`: the token and its lifetime in seconds. */
export const tokenAnswer = z.object({ access_token: text, expires_in: int }).loose();

/**
 * One decrypted chat archive record (会话内容存档) as the companion pushes it: WeCom's fields plus its `seq`. Only the
 * id is required here; each message type's body is read where it is rendered (archive.ts), loosely, since WeCom keeps
 * adding types and fields.
 */
export const archiveRecord = z
  .object({
    msgid: textId,
    seq: z.union([z.int(), z.string()]).optional(),
    action: z.string().optional(),
    from: z.string().optional(),
    tolist: z.array(z.string()).optional(),
    roomid: z.string().optional(),
    msgtime: z.int().optional(),
    msgtype: z.string().optional(),
    /** `switch` records: when (ms) and which member. */
    time: z.int().optional(),
    user: z.string().optional(),
  })
  .loose();
export type ArchiveRecord = z.infer<typeof archiveRecord>;

/** A push from the archive companion: `{ "records": [ … ] }`, each record read on its own when decoded. */
export const archivePush = z
  .object({ records: z.array(z.object({ msgid: textId }).loose()).max(1000) })
  .loose();
