import type { ContentType, MessageContent, MessageEvent } from '../../src/core/ports/events.ts';

/** Who reads: the bot's own open_id (its mention is dropped from commands) and how `@_all` reads. */
export interface MentionWords {
  botOpenId: string | null;
  /** The catalogue's word for everyone; the event's own name for it where absent. */
  mentionAll?: string;
}

/** Liaison's kind of a Feishu `message_type`. */
export function contentTypeOf(type: string): ContentType {
  const types: Record<string, ContentType> = {
    text: 'text',
    post: 'text',
    image: 'image',
    file: 'file',
    audio: 'audio',
    media: 'video',
    folder: 'file',
    sticker: 'sticker',
    location: 'location',
  };
  return types[type] ?? 'other';
}

/** A mention as Feishu lists it: the placeholder in the text and whom it names (an object in events, an id in the API). */
export interface FeishuMention {
  key: string;
  id?: { open_id?: string } | string;
  name?: string;
}

/** What one message reads as: its words, mentions resolved, and what it carries beyond them. */
export interface FeishuBody {
  text: string;
  /** Text and rich text only: the words with the bot's own mention dropped, for the command parser. */
  commandText?: string;
  content?: MessageContent;
  attachment?: MessageEvent['attachment'];
}

/**
 * A message's `content` (JSON text, shaped by its `message_type`) as a person reads it: a file's name, a location, a
 * card's title and words, a vote's options… A type Liaison cannot read is `unsupported` with its name, never blank.
 */
export function readBody(
  type: string,
  raw: string,
  mentions: readonly FeishuMention[],
  self: MentionWords,
): FeishuBody {
  const c = parseContent(raw);
  const mention = (key: string, dropBot: boolean) => mentionText(key, mentions, self, dropBot);
  const fileKey = str(c.file_key);
  const attached = (kind: string) =>
    fileKey
      ? { attachment: { type: kind, key: fileKey, ...(str(c.file_name) ? { name: str(c.file_name) } : {}) } }
      : {};
  switch (type) {
    case 'text': {
      const words = (dropBot: boolean) => str(c.text).replace(PLACEHOLDER, (key) => mention(key, dropBot));
      return { text: words(false), commandText: words(true).trim() };
    }
    case 'post': {
      const post = postOf(c);
      const words = (dropBot: boolean) =>
        paragraphsText(post.content, (id, name) => atText(id, name, dropBot));
      const atText = (id: string, name: string, dropBot: boolean) =>
        IS_PLACEHOLDER.test(id) || id === 'all'
          ? mention(id === 'all' ? '@_all' : id, dropBot)
          : `@${name || '?'}`;
      const images = countImages(post.content);
      const lines = (dropBot: boolean) =>
        [str(post.title), words(dropBot)].filter((l) => l !== '').join('\n');
      return {
        text: lines(false),
        commandText: lines(true).trim(),
        ...(images > 0 ? { content: { kind: 'post', images } } : {}),
      };
    }
    case 'image':
      return {
        text: '',
        content: { kind: 'photo' },
        ...(str(c.image_key) ? { attachment: { type: 'image', key: str(c.image_key) } } : {}),
      };
    case 'file':
      return { text: '', content: { kind: 'file', ...named(c.file_name) }, ...attached('file') };
    case 'folder':
      // A shared folder is named, not kept: there is no one file to fetch.
      return { text: '', content: { kind: 'file', ...named(c.file_name) } };
    case 'audio':
      return { text: '', content: { kind: 'voice', ...seconds(c.duration) }, ...attached('audio') };
    case 'media':
      // The video's name is all a person can tell it by; the kind has no name of its own, so it is the text.
      return {
        text: str(c.file_name),
        content: { kind: 'video', ...seconds(c.duration) },
        ...attached('media'),
      };
    case 'sticker':
      return { text: '', content: { kind: 'sticker' } };
    case 'interactive':
      return { text: '', content: { kind: 'card', ...cardWords(c) } };
    case 'share_user':
      return { text: '', content: { kind: 'contact' } };
    case 'location':
      return {
        text: '',
        content: {
          kind: 'location',
          ...named(c.name),
          ...(str(c.address) ? { address: str(c.address) } : {}),
          ...coordinate('latitude', c.latitude),
          ...coordinate('longitude', c.longitude),
        },
      };
    case 'vote':
      return {
        text: '',
        content: { kind: 'poll', question: str(c.topic), options: list(c.options).map(str).filter(Boolean) },
      };
    case 'todo': {
      const summary = record(c.summary);
      const text = paragraphsText(summary.content, (_, name) => `@${name || '?'}`);
      return {
        text: '',
        content: { kind: 'card', ...titled(str(summary.title)), ...(text ? { text } : {}) },
      };
    }
    case 'share_calendar_event':
    case 'calendar':
    case 'general_calendar':
      return { text: '', content: { kind: 'card', ...titled(str(c.summary)) } };
    case 'video_chat':
      return { text: '', content: { kind: 'card', ...titled(str(c.topic)) } };
    case 'system': {
      // Feishu's own sentence (`X invited Y to this chat.`), its people filled in, reads as it is.
      const text = systemText(c);
      return text ? { text } : { text: '', content: { kind: 'unsupported', type } };
    }
    case 'merge_forward':
      // The bundle's messages are not in the event: the adapter's completeContent asks for them.
      return { text: '', content: { kind: 'forwarded', items: [] } };
    default:
      return { text: '', content: { kind: 'unsupported', type } };
  }
}

/** `@_user_1`, `@_all`: Feishu's placeholders for mentions. */
const PLACEHOLDER = /@_(?:user_\d+|all)\b/g;
const IS_PLACEHOLDER = /^@_(?:user_\d+|all)$/;

/** A placeholder as a name: everyone, the person the event names, or `@?` where it names no one (never the key). */
function mentionText(
  key: string,
  mentions: readonly FeishuMention[],
  self: MentionWords,
  dropBot: boolean,
): string {
  const found = mentions.find((x) => x.key === key);
  const openId = typeof found?.id === 'string' ? found.id : found?.id?.open_id;
  if (dropBot && self.botOpenId !== null && openId === self.botOpenId) return '';
  // Real group messages often leave @_all out of `mentions`.
  if (key === '@_all') return `@${self.mentionAll ?? found?.name ?? '?'}`;
  return `@${found?.name || '?'}`;
}

/** Rich text, in events flat (`{title, content}`) or per language (`{zh_cn: {title, content}}`). */
function postOf(c: Record<string, unknown>): { title?: unknown; content?: unknown } {
  return c.content ? c : record(Object.values(c)[0]);
}

/** Paragraphs of rich-text elements as lines of text: links by their words, code as written, emoji by name. */
function paragraphsText(paragraphs: unknown, at: (id: string, name: string) => string): string {
  return list(paragraphs)
    .map((para) =>
      list(para)
        .map(record)
        .map((x) => {
          if (x.tag === 'at') return at(str(x.user_id), str(x.user_name));
          if (x.tag === 'a') return str(x.text) || str(x.href);
          if (x.tag === 'emotion') return str(x.emoji_type) ? `[${str(x.emoji_type)}]` : '';
          if (x.tag === 'img' || x.tag === 'media' || x.tag === 'hr') return '';
          return str(x.text);
        })
        .join(''),
    )
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/** Pictures and videos placed in rich text: counted, as a reader cannot see them in the words. */
const countImages = (paragraphs: unknown): number =>
  list(paragraphs)
    .flatMap(list)
    .map(record)
    .filter((x) => x.tag === 'img' || x.tag === 'media').length;

/** A card's title and its words (from its header and elements, either card schema), buttons left out; capped. */
function cardWords(c: Record<string, unknown>): { title?: string; text?: string } {
  const header = record(c.header);
  const title = str(c.title) || str(record(header.title).content);
  const words: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || words.length >= CARD_WORDS) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const x = record(v);
    if (x.tag === 'button' || x.tag === 'hr' || x.tag === 'img') return;
    const own = typeof x.text === 'string' ? x.text : typeof x.content === 'string' ? x.content : '';
    if (own.trim()) words.push(own.trim());
    for (const [k, child] of Object.entries(x))
      if (k !== 'text' || typeof child !== 'string') walk(child, depth + 1);
  };
  // Elements of the card as received, of a schema 2.0 card, or of its first language (`i18n_elements`).
  walk(c.elements ?? record(c.body).elements ?? Object.values(record(c.i18n_elements))[0], 0);
  const all = words.join(' ');
  const text = all.length > CARD_CHARS ? `${all.slice(0, CARD_CHARS - 1)}…` : all;
  return { ...titled(title), ...(text ? { text } : {}) };
}

/** A card's words are its gist on the timeline: this many pieces, this many characters at most. */
const CARD_WORDS = 40;
const CARD_CHARS = 500;

/** A system message's template with its people filled in (`{from_user} invited {to_chatters}`). */
function systemText(c: Record<string, unknown>): string {
  const names = (v: unknown) => list(v).map(str).filter(Boolean).join(', ');
  return str(c.template)
    .replaceAll('{from_user}', names(c.from_user))
    .replaceAll('{to_chatters}', names(c.to_chatters))
    .replaceAll('{divider_text}', str(record(c.divider_text).text))
    .replace(/\{[a-z_]+\}/g, '')
    .trim();
}

function parseContent(content: string): Record<string, unknown> {
  try {
    return record(JSON.parse(content));
  } catch {
    return {};
  }
}

/** Content is JSON inside the event, unchecked by the event's schema: only values of the expected type are read. */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const named = (v: unknown) => (str(v) ? { name: str(v) } : {});
const titled = (v: string) => (v ? { title: v } : {});
/** Durations come in milliseconds. */
const seconds = (v: unknown) => (typeof v === 'number' && v >= 0 ? { seconds: v / 1000 } : {});
/** Coordinates come as text (`"31.2304"`). */
function coordinate<K extends 'latitude' | 'longitude'>(key: K, v: unknown): Partial<Record<K, number>> {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? ({ [key]: n } as Partial<Record<K, number>>) : {};
}
