import type { MessageContent } from '../ports/events.ts';
import { type Lang, messages } from './i18n/index.ts';

/** A stored message as every reader gets it: its own words, its kind, and what it carries beyond the words. */
export interface StoredMessageBody {
  text: string | null;
  contentType: string;
  /** `messages.content` as stored (JSON text) or already parsed; null for plain text. */
  content: MessageContent | string | null;
}

/** Forwarded bundles list this many messages at most; the rest is counted. */
const FORWARDED_SHOWN = 10;

/**
 * The one readable form of a message, the same in `/show`, the API timeline, digests and relays: the kind in
 * brackets with what identifies it (a file's name and size, a location's name, address and map link, a poll's
 * options…), then the sender's own words. Phones in it are masked by each renderer like any text.
 */
export function readableMessage(m: StoredMessageBody, lang: Lang): string {
  const content = parsedContent(m.content);
  const own = m.text?.trim() ?? '';
  if (!content) return own || `[${kindLabel(m.contentType, lang)}]`;
  const described = describe(content, lang);
  return own ? `${described} ${own}` : described;
}

/** `messages.content` parsed; null when absent or unreadable (a row written before the column existed). */
export function parsedContent(stored: MessageContent | string | null | undefined): MessageContent | null {
  if (!stored) return null;
  if (typeof stored !== 'string') return stored;
  try {
    const value = JSON.parse(stored) as MessageContent;
    return value && typeof value === 'object' && typeof value.kind === 'string' ? value : null;
  } catch {
    return null;
  }
}

function kindLabel(kind: string, lang: Lang): string {
  const labels = messages(lang).messageKinds as unknown as Record<string, unknown>;
  const label = labels[kind];
  return typeof label === 'string' ? label : messages(lang).messageKinds.other;
}

function describe(c: MessageContent, lang: Lang): string {
  const t = messages(lang).messageKinds;
  const tag = (...parts: Array<string | undefined>) =>
    `[${[kindLabel(c.kind, lang), ...parts.filter((p) => p)].join(' ')}]`;
  switch (c.kind) {
    case 'photo':
      return tag();
    case 'video':
    case 'voice':
      return tag(duration(c.seconds));
    case 'file':
      return joined(tag(), c.name, c.size !== undefined ? `(${byteSize(c.size)})` : undefined);
    case 'sticker':
      return tag(c.emoji);
    case 'location':
      return joined(tag(), [c.name, c.address].filter(Boolean).join(' · '), mapLink(c));
    case 'contact':
      return joined(tag(), c.name, c.phone);
    case 'poll':
      return joined(tag(), c.question, t.pollOptions(c.options.join(' / ')));
    case 'story':
      return tag(c.from ? t.storyFrom(c.from) : undefined);
    case 'link':
      return joined(tag(), c.title, c.description, c.url);
    case 'mini_program':
      return joined(tag(), c.title);
    case 'card':
      return joined(tag(), c.title, c.text);
    case 'post':
      return c.images > 0 ? joined(c.title ? `${c.title}` : undefined, t.images(c.images)) : (c.title ?? '');
    case 'forwarded':
      return forwarded(c, lang);
    case 'unsupported':
      return `[${t.unsupported(c.type)}]`;
  }
}

function forwarded(c: Extract<MessageContent, { kind: 'forwarded' }>, lang: Lang): string {
  const t = messages(lang).messageKinds;
  const lines = c.items
    .slice(0, FORWARDED_SHOWN)
    .map(
      (i) =>
        `  ${i.from ? `${i.from}: ` : ''}${readableMessage({ ...i, contentType: 'text', content: i.content ?? null }, lang)}`,
    );
  if (c.items.length > FORWARDED_SHOWN) lines.push(`  ${t.moreForwarded(c.items.length - FORWARDED_SHOWN)}`);
  return [joined(`[${t.forwarded}]`, c.title), ...lines].join('\n');
}

const joined = (...parts: Array<string | undefined>): string => parts.filter((p) => p?.trim()).join(' ');

function duration(seconds: number | undefined): string | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return undefined;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A map link where coordinates are given (OpenStreetMap: it opens anywhere without an app key). */
function mapLink(c: { latitude?: number; longitude?: number }): string | undefined {
  const { latitude: lat, longitude: lon } = c;
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon))
    return undefined;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

/** `content` with every piece of text in it passed through `f` (masking phones for a rep, escaping). */
export function mapContentText(c: MessageContent, f: (text: string) => string): MessageContent {
  const each = (v: unknown): unknown =>
    typeof v === 'string'
      ? f(v)
      : Array.isArray(v)
        ? v.map(each)
        : v && typeof v === 'object'
          ? mapped(v)
          : v;
  const mapped = (o: object) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'kind' ? v : each(v)]));
  return mapped(c) as MessageContent;
}
