import { z } from 'zod';
import { checkPayload, textId } from '../payload.ts';

/*
 * WeCom API answers as Liaison reads them, checked at run time. The ids that name someone must be there; a field
 * Liaison can do without reads as absent when it has the wrong type, and an item of a list that does not read is
 * dropped, so one odd follower, tag or phone never hides the rest (or crashes what reads it).
 */
const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const text = maybe(z.string());
const int = maybe(z.int());

/** The items of a list that read as `item`; anything else (not a list, an odd item) is left out. */
const itemsOf = <T extends z.ZodType>(item: T) =>
  z
    .array(z.unknown())
    .catch([])
    .optional()
    .transform((list) =>
      (list ?? []).flatMap((v) => {
        const read = item.safeParse(v);
        return read.success ? [read.data as z.output<T>] : [];
      }),
    );

const tag = z.object({ tag_name: z.string(), tag_id: text, group_name: text, type: int }).loose();

const follower = z
  .object({
    userid: textId,
    remark: text,
    description: text,
    createtime: int,
    tags: itemsOf(tag),
    remark_corp_name: text,
    remark_mobiles: itemsOf(z.string()),
    state: text,
  })
  .loose();

/** `externalcontact/get`: the customer, and each staff member who has them as a contact. */
export const externalContactAnswer = z
  .object({
    external_contact: z
      .object({
        external_userid: textId,
        name: z.string().catch(''),
        avatar: text,
        type: int,
        gender: int,
        unionid: text,
        corp_name: text,
        corp_full_name: text,
      })
      .loose()
      .optional(),
    follow_user: itemsOf(follower),
    next_cursor: text,
  })
  .loose();

/** `externalcontact/groupchat/get`: a customer group and its members. */
export const groupChatAnswer = z
  .object({
    group_chat: z
      .object({
        chat_id: textId,
        name: text,
        owner: text,
        member_list: itemsOf(
          z.object({ userid: textId, type: int, join_time: int, name: text, unionid: text }).loose(),
        ),
      })
      .loose()
      .optional(),
  })
  .loose();

/** `externalcontact/get_corp_tag_list`: the corp's tag groups and tags. */
export const corpTagListAnswer = z
  .object({
    tag_group: itemsOf(
      z
        .object({
          group_id: textId,
          group_name: z.string(),
          deleted: maybe(z.boolean()),
          tag: itemsOf(z.object({ id: textId, name: z.string(), deleted: maybe(z.boolean()) }).loose()),
        })
        .loose(),
    ),
  })
  .loose();

/** `kf/sync_msg`: one page of customer-service messages (each message is read on its own, in service.ts). */
export const kfSyncAnswer = z
  .object({ next_cursor: text, has_more: int, msg_list: z.array(z.unknown()).optional() })
  .loose();

/** One customer-service message: read like a callback, so a field of the wrong type refuses the message. */
export const kfMessage = z
  .object({
    msgid: textId,
    open_kfid: textId,
    external_userid: z.string().optional(),
    servicer_userid: z.string().optional(),
    send_time: z.int(),
    origin: z.int(),
    msgtype: z.string(),
    text: z.object({ content: z.string() }).loose().optional(),
    link: z.object({ title: z.string().optional() }).loose().optional(),
    event: z.object({ event_type: z.string(), external_userid: z.string().optional() }).loose().optional(),
  })
  .loose();
export type KfMessageRead = z.infer<typeof kfMessage>;

/** `kf/customer/batchget`: names and unionids of customers. */
export const kfCustomersAnswer = z
  .object({
    customer_list: itemsOf(
      z.object({ external_userid: textId, nickname: text, unionid: text, gender: int }).loose(),
    ),
  })
  .loose();

/** What `schema` reads from an answer of `path`; otherwise an Error naming the field (never its value). */
export function readAnswer<T>(schema: z.ZodType<T>, answer: unknown, path: string): T {
  const read = checkPayload(schema, answer);
  if (!read.ok) throw new Error(`${path} answered in an unexpected shape: ${read.reason}`);
  return read.value;
}
