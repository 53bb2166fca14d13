import type { ContentType, ForwardedItem, MessageContent } from '../../src/core/ports/events.ts';
import type { KfMessageRead } from './service.ts';
import type { ArchiveRecord } from './types.ts';

/*
 * How WeCom messages read: the sender's own words as `text`, what a message carries beyond them as `content`
 * (MessageContent, rendered by the core's readableMessage the same way everywhere). 微信客服 messages (kf/sync_msg,
 * developer.work.weixin.qq.com/document/path/94670) arrive typed (service.ts); archived records (会话内容存档 message
 * formats, developer.work.weixin.qq.com/document/path/91774) are read field by field: a field of another type reads
 * as absent, and media become an attachment referenced by `sdkfileid` (the companion downloads it).
 */

const CONTENT_TYPES: Record<string, ContentType> = {
  text: 'text',
  image: 'image',
  voice: 'audio',
  video: 'video',
  file: 'file',
  location: 'location',
  business_card: 'contact',
};

/** The message's own words and what it carries beyond them, for the readable form (readableMessage). */
export function kfContent(m: KfMessageRead): {
  text: string;
  contentType: ContentType;
  content?: MessageContent;
} {
  const contentType = CONTENT_TYPES[m.msgtype] ?? 'other';
  const content = kfCarried(m);
  return { text: m.text?.content ?? '', contentType, ...(content ? { content } : {}) };
}

/** Media kinds whose message carries nothing to read but the kind. */
const KF_MEDIA: Record<string, MessageContent> = {
  image: { kind: 'photo' },
  voice: { kind: 'voice' },
  video: { kind: 'video' },
  file: { kind: 'file' },
};

function kfCarried(m: KfMessageRead): MessageContent | undefined {
  if (m.msgtype === 'text') return undefined;
  const media = KF_MEDIA[m.msgtype];
  if (media) return media;
  switch (m.msgtype) {
    case 'location': {
      const { latitude, longitude, name, address } = m.location ?? {};
      return defined({ kind: 'location', latitude, longitude, name, address });
    }
    case 'link':
      return defined({ kind: 'link', title: m.link?.title, description: m.link?.desc, url: m.link?.url });
    case 'business_card':
      return defined({ kind: 'contact', name: m.business_card?.userid });
    case 'miniprogram':
      return defined({ kind: 'mini_program', title: m.miniprogram?.title });
    case 'msgmenu':
      return menu(m.msgmenu);
    case 'channels_shop_product': {
      const p = m.channels_shop_product ?? {};
      return card(p.title, p.shop_nickname);
    }
    case 'channels_shop_order': {
      const o = m.channels_shop_order ?? {};
      return card(o.product_titles, joinedText(o.price_wording, o.state, o.shop_nickname));
    }
    case 'channels':
      return card(m.channels?.title, m.channels?.nickname);
    case 'merged_msg':
      return kfForwarded(m.merged_msg);
    default:
      return { kind: 'unsupported', type: m.msgtype };
  }
}

/** A menu: its head, the choices it offers, its tail. */
function menu(b: KfMessageRead['msgmenu']): MessageContent {
  const choices = (b?.list ?? []).flatMap((item) => {
    const type = typeof item.type === 'string' ? item.type : '';
    const body = item[type];
    const content = body && typeof body === 'object' ? (body as { content?: unknown }).content : undefined;
    return typeof content === 'string' && content ? [content] : [];
  });
  return card(b?.head_content, joinedText(choices.join(' / '), b?.tail_content));
}

/** A chat history (聊天记录): each item's sender, words and time; items' `msg_content` is the item's body as JSON. */
function kfForwarded(b: KfMessageRead['merged_msg']): MessageContent {
  const items: ForwardedItem[] = (b?.item ?? []).map((i) => {
    const type = i.msgtype ?? '?';
    const body = parsedObject(i.msg_content);
    return {
      text: itemWords(body[type]) ?? itemWords(body) ?? `[${type}]`,
      ...(i.sender_name ? { from: i.sender_name } : {}),
      ...(i.send_time !== undefined ? { at: i.send_time * 1000 } : {}),
    };
  });
  return { kind: 'forwarded', items, ...(b?.title ? { title: b.title } : {}) };
}

/** What an item of a bundle says: its text, or the words that name it (a title, a file's or a place's name). */
export function itemWords(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const words = ['content', 'title', 'filename', 'name', 'address'].map((k) => b[k]);
  return joinedText(...words.map((w) => (typeof w === 'string' ? w : undefined)));
}

/** A card of a title and a line (either may be absent). */
export function card(title: string | undefined, line: string | undefined): MessageContent {
  return defined({ kind: 'card', title: title || undefined, text: line || undefined });
}

/** Parts that say something, joined by spaces; undefined when none do. */
export function joinedText(...parts: Array<string | undefined>): string | undefined {
  const said = parts.filter((p): p is string => !!p?.trim());
  return said.length > 0 ? said.join(' ') : undefined;
}

/** A JSON object in a string (items' bodies); empty when it is not one. */
export function parsedObject(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `c` without its undefined fields (the stored JSON keeps only what the platform gave). */
export function defined<T extends MessageContent>(c: T): T {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as T;
}

export interface ArchiveContent {
  text: string;
  type: ContentType;
  content?: MessageContent;
  attachment?: { type: string; key: string; name?: string };
}

/** Where each type keeps its body when not under its own name. */
const BODY_KEY: Record<string, string> = {
  docmsg: 'doc',
  markdown: 'info',
  news: 'info',
  external_redpacket: 'redpacket',
  voiptext: 'info',
  qydiskfile: 'info',
};

const TYPES: Record<string, ContentType> = {
  text: 'text',
  markdown: 'text',
  mixed: 'text',
  image: 'image',
  voice: 'audio',
  video: 'video',
  meeting_voice_call: 'audio',
  file: 'file',
  voip_doc_share: 'file',
  qydiskfile: 'file',
  emotion: 'sticker',
  location: 'location',
  card: 'contact',
};

/** An archived record's words, kind, content and file, for the timeline. */
export function archiveContent(r: ArchiveRecord, msgtype: string): ArchiveContent {
  const b = bodyOf(r, msgtype);
  const type = TYPES[msgtype] ?? 'other';
  const fileId = str(b.sdkfileid);
  const name = fileName(b);
  const attachment = fileId ? { type: msgtype, key: fileId, ...(name ? { name } : {}) } : undefined;
  if (msgtype === 'text' || msgtype === 'markdown') return { text: str(b.content) ?? '', type };
  if (msgtype === 'mixed') return mixed(b.item);
  const content = carried(r, msgtype, b);
  return { text: '', type, content, ...(attachment ? { attachment } : {}) };
}

function carried(r: ArchiveRecord, msgtype: string, b: Record<string, unknown>): MessageContent {
  switch (msgtype) {
    case 'image':
      return { kind: 'photo' };
    case 'voice':
    case 'meeting_voice_call':
      return defined({ kind: 'voice', seconds: num(b.play_length) });
    case 'video':
      return defined({ kind: 'video', seconds: num(b.play_length) });
    case 'emotion':
      return { kind: 'sticker' };
    case 'file':
    case 'voip_doc_share':
    case 'qydiskfile':
      return defined({ kind: 'file', name: fileName(b), size: num(b.filesize) });
    case 'location':
      return defined({
        kind: 'location',
        latitude: num(b.latitude),
        longitude: num(b.longitude),
        name: str(b.title),
        address: str(b.address),
      });
    case 'link':
      return defined({
        kind: 'link',
        title: str(b.title),
        description: str(b.description),
        url: str(b.link_url),
      });
    case 'docmsg':
      return defined({ kind: 'link', title: str(b.title), url: str(b.link_url) });
    case 'news':
      return news(b.item);
    case 'weapp':
      return defined({ kind: 'mini_program', title: joinedText(str(b.displayname), str(b.title)) });
    case 'card':
      return defined({ kind: 'contact', name: str(b.corpname) });
    case 'chatrecord':
      return archiveForwarded(b);
    case 'vote': {
      const v = r.vote && typeof r.vote === 'object' ? (r.vote as Record<string, unknown>) : r;
      return { kind: 'poll', question: str(v.votetitle) ?? '', options: texts(v.voteitem) };
    }
    case 'todo':
      return card(str(b.title), str(b.content));
    case 'collect': {
      const questions = listOf(b.details).flatMap((d) => str(d.ques) ?? []);
      return card(str(b.title) ?? str(b.room_name), joinedText(questions.join(' / ')));
    }
    case 'redpacket':
    case 'external_redpacket':
      return card(str(b.wish), undefined);
    case 'meeting':
      return card(str(b.topic), joinedText(str(b.address), str(b.remarks)));
    case 'calendar':
      return card(str(b.title), joinedText(str(b.place), str(b.remarks)));
    case 'sphfeed':
      return card(str(b.sph_name), str(b.feed_desc));
    default: {
      // A type WeCom added later: its words where it has the usual fields, else only its type.
      const words = card(str(b.title), joinedText(str(b.content), str(b.description)));
      return words.kind === 'card' && (words.title || words.text)
        ? words
        : { kind: 'unsupported', type: msgtype || 'unknown' };
    }
  }
}

/** A file's name, with its extension when WeCom gives it apart (`fileext`). */
function fileName(b: Record<string, unknown>): string | undefined {
  const name = str(b.filename);
  const ext = str(b.fileext);
  if (!name) return undefined;
  return ext && !name.toLowerCase().endsWith(`.${ext.toLowerCase()}`) ? `${name}.${ext}` : name;
}

/** A news message (图文): its first article as the link, the other articles' titles after its description. */
function news(items: unknown): MessageContent {
  const [first, ...rest] = listOf(items);
  const others = rest.flatMap((i) => str(i.title) ?? []).join(' / ');
  return defined({
    kind: 'link',
    title: str(first?.title),
    description: joinedText(str(first?.description), others),
    url: str(first?.url),
  });
}

/** A chat history (会话记录消息): each item's words (its `content` is the item's body as JSON), time in seconds. */
function archiveForwarded(b: Record<string, unknown>): MessageContent {
  const items: ForwardedItem[] = listOf(b.item).map((item) => {
    const type = str(item.type) ?? '';
    const body = parsedObject(str(item.content));
    const at = num(item.msgtime);
    return {
      text: itemWords(body) ?? `[${type.replace(/^ChatRecord/, '').toLowerCase() || '?'}]`,
      ...(at !== undefined ? { at: at * 1000 } : {}),
    };
  });
  return { kind: 'forwarded', items, ...(str(b.title) ? { title: str(b.title) } : {}) };
}

/** A mixed message: its text parts joined, its pictures counted, its first picture or file as the attachment. */
function mixed(items: unknown): ArchiveContent {
  const list = listOf(items);
  const text = list
    .filter((i) => i.type === 'text')
    .flatMap((i) => str(parsedObject(str(i.content)).content) ?? [])
    .join('\n');
  const images = list.filter((i) => i.type === 'image').length;
  const content: MessageContent | undefined = images > 0 ? { kind: 'post', images } : undefined;
  const media = list.find((i) => str(parsedObject(str(i.content)).sdkfileid));
  const key = media && str(parsedObject(str(media.content)).sdkfileid);
  const attachment = key ? { attachment: { type: str(media?.type) ?? 'file', key } } : {};
  return { text, type: 'text', ...(content ? { content } : {}), ...attachment };
}

export function bodyOf(r: ArchiveRecord, msgtype: string): Record<string, unknown> {
  if (msgtype === 'vote') return r;
  const b = r[BODY_KEY[msgtype] ?? msgtype] ?? r[msgtype];
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}

const listOf = (v: unknown): Array<Record<string, unknown>> =>
  Array.isArray(v) ? v.filter((i): i is Record<string, unknown> => !!i && typeof i === 'object') : [];
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((i) => str(i) ?? []) : []);
export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
export const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
