import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';

/** Text of every kind a sender can produce: ASCII, any code point, lone surrogates, CJK, emoji and controls. */
export const anyText = (maxLength = 80): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({
      unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      maxLength: 4,
    }),
    fc.string({
      unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
      maxLength,
    }),
    fc.string({
      unit: fc.constantFrom(...'0123456789 :-+.,/／@点半明天后周五下午上午号月日年小时分钟inamhpdw'),
      maxLength,
    }),
  );

/** A value of the wrong type for whatever field it replaces. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  anyText(20),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.constant({ toString: 1, valueOf: 1 }),
);

type Json = Record<string, unknown>;

/** Every path to a value inside a JSON document (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [path, ...pathsOf(v, path)];
  });
}

function edit(doc: unknown, path: Array<string | number>, value: unknown, remove: boolean): void {
  let at = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (next === null || typeof next !== 'object') return;
    at = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  // An earlier edit may have put an array where the path expects an object: its `length` is not a field.
  if (Array.isArray(at) && typeof last !== 'number') return;
  if (remove) delete at[last];
  else at[last] = structuredClone(value);
}

/** A valid document with a few fields replaced by wrong types, removed, or left alone: near-valid input. */
export function mutated(base: unknown): fc.Arbitrary<Json> {
  const paths = pathsOf(base);
  return fc.array(fc.tuple(fc.nat(), wrongValue, fc.boolean()), { maxLength: 4 }).map((edits) => {
    const doc = structuredClone(base) as Json;
    for (const [n, value, remove] of edits) edit(doc, paths[n % paths.length] ?? [], value, remove);
    return doc;
  });
}

const fixtures = new URL('../fixtures/', import.meta.url);
const fixtureFiles = (dir: string, pattern: RegExp) =>
  readdirSync(new URL(`${dir}/`, fixtures))
    .filter((f) => pattern.test(f))
    .map((f) => readFileSync(new URL(`${dir}/${f}`, fixtures), 'utf8'));

export const telegramUpdates = fixtureFiles('telegram', /^update-.*\.json$/).map(
  (t) => JSON.parse(t) as Json,
);
export const wecomCallbacks = fixtureFiles('wecom', /\.xml$/).map((t) => t.replace(/\n$/, ''));
export const feishuEvents: Json[] = [
  ...fixtureFiles('feishu', /^event-.*\.json$/).map((t) => JSON.parse(t) as Json),
  {
    schema: '2.0',
    header: {
      event_id: 'e1',
      event_type: 'card.action.trigger',
      create_time: '1772417701203',
      token: 'x',
      tenant_key: 't1',
    },
    event: {
      operator: { open_id: 'ou_x', tenant_key: 't1' },
      action: { value: { action: 'assign_to_me', customer: 7 }, tag: 'button' },
      context: { open_message_id: 'om_1', open_chat_id: 'oc_1' },
    },
  },
];
export const webPosts: Json[] = [
  {
    type: 'message',
    id: 'msg_00000001',
    chat: { id: 'web-private', kind: 'private' },
    from: { id: 'web-u1', name: '王芳', side: 'customer' },
    text: '/find 王芳',
  },
  {
    type: 'card_action',
    id: 'clk_00000001',
    chat: { id: 'web-group' },
    from: { id: 'web-u2', name: 'Li', language: 'en' },
    messageId: 'm1',
    value: { action: 'assign_to_me', customer: 3 },
  },
];

/** A JSON body: arbitrary JSON, or a fixture with wrong types, or not JSON at all. */
export const jsonBody = (bases: Json[]): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(...bases)
        .chain(mutated)
        .map((d) => JSON.stringify(d)),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: anyText(200) },
  );

/** WeCom XML: a fixture with a tag renamed, a value replaced, markup injected, or cut short. */
export const wecomXmlBody: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...wecomCallbacks),
      fc.nat(),
      anyText(30),
      fc.constantFrom('tag', 'value', 'inject', 'cut'),
    )
    .map(([xml, n, text, how]) => {
      const tags = [...xml.matchAll(/<(\w+)>/g)].map((m) => m[1] as string);
      const tag = tags[n % tags.length] ?? 'xml';
      if (how === 'tag') return xml.replace(`<${tag}>`, `<${text}>`);
      if (how === 'value')
        return xml.replace(new RegExp(`<${tag}>[^\\n]*?</${tag}>`), `<${tag}>${text}</${tag}>`);
      if (how === 'inject') return xml.replace(`<${tag}>`, `<${tag}>${text}<![CDATA[${text}]]>`);
      return xml.slice(0, n % (xml.length + 1));
    }),
  fc.constantFrom(...wecomCallbacks).map((x) => x.replace('<xml>', '<!DOCTYPE x [<!ENTITY e "a">]><xml>')),
  fc
    .array(fc.tuple(fc.stringMatching(/^[A-Za-z_][\w.-]{0,10}$/), anyText(20), fc.boolean()), {
      maxLength: 8,
    })
    .map(
      (fields) =>
        `<xml>${fields.map(([k, v, cdata]) => `<${k}>${cdata ? `<![CDATA[${v}]]>` : v}</${k}>`).join('')}</xml>`,
    ),
  anyText(200),
);

/** Time expressions: known good forms, then mutated by inserting, cutting or changing characters. */
const WHEN_SEEDS = [
  '明天10点',
  '明天上午十点半 回访',
  '下周五下午3点',
  '3天后',
  '后天晚上8点',
  '周五 15:30',
  'in 2h call back',
  'fri 3pm',
  'tomorrow 9:30am',
  '3pm tomorrow',
  '2026-12-01T10:00Z',
  '2026-12-01 10:00+08:00',
  '12月25日 9点',
  '半小时后',
  '一个半小时后',
  'in 1.5 days',
];
export const whenText: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...WHEN_SEEDS), fc.nat(), fc.nat(), anyText(6)).map(([s, at, cut, insert]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + insert + s.slice(i + (cut % 3));
  }),
  fc.constantFrom(...WHEN_SEEDS),
  anyText(60),
  fc.string({ unit: fc.constantFrom('9', '0', '.', ' ', 'h', '点', '天', '后', '-', ':'), maxLength: 400 }),
);

const COMMAND_WORDS = [
  'find',
  '查找',
  'note',
  '跟进',
  'remind',
  '提醒',
  'tag',
  '标签',
  'stage',
  'help',
  '帮助',
  'deal',
];
export const commandText: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', ' ', '\n'),
      fc.constantFrom('/', '／', ''),
      fc.oneof(fc.constantFrom(...COMMAND_WORDS), anyText(10)),
      fc.option(
        fc.oneof(
          fc.constant('@liaison_bot'),
          anyText(8).map((t) => `@${t}`),
        ),
      ),
      fc.constantFrom(' ', '\u3000', '\t', '\n', ''),
      anyText(60),
    )
    .map(([lead, slash, word, bot, gap, args]) => `${lead}${slash}${word}${bot ?? ''}${gap}${args}`),
  anyText(100),
);

/** CSV-ish text: random cells with quotes, separators, line breaks and CJK. */
export const csvText: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.array(
        fc.oneof(
          anyText(12),
          fc.constantFrom('"', '""', '"a,b"', '\r\n', ';', '\t', '姓名', '手机', '138 0013 8000'),
        ),
        { maxLength: 6 },
      ),
      { maxLength: 6 },
    )
    .map((rows) => rows.map((r) => r.join(',')).join('\n')),
  anyText(200),
);

/** Text as it arrives over the wire (UTF-8): lone surrogates become U+FFFD, as String#toWellFormed does. */
export const wellFormed = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');

/** Random bytes read as UTF-8, as a server reads a body (invalid sequences become U+FFFD). */
export const byteBody: fc.Arbitrary<string> = fc
  .uint8Array({ maxLength: 200 })
  .map((b) => new TextDecoder().decode(b));
