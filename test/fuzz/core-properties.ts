import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readTable } from '../../src/cli/read-table.ts';
import { assistantTools } from '../../src/core/chat/assistant/tools.ts';
import { parseCommand } from '../../src/core/chat/commands/parse.ts';
import { defaultOrgSettings, defaultStages } from '../../src/core/kernel/runtime.ts';
import { grams, phoneDigits, searchKeys } from '../../src/core/records/customers/search-text.ts';
import {
  checkEmail,
  checkPhone,
  checkStage,
  checkTags,
  checkText,
  checkUnionId,
} from '../../src/core/records/customers/values.ts';
import { mapColumns, normalizeHeader, parseColumnMap } from '../../src/core/records/imports/columns.ts';
import { parseWhen } from '../../src/core/records/reminders/when.ts';
import { anyText, commandText, csvText, jsonBody, wellFormed, whenText } from './arbitraries.ts';
import { assertTypedFailure, async, type FuzzTarget, isString, sync } from './checks.ts';

const tmp = mkdtempSync(join(tmpdir(), 'liaison-fuzz-'));

const tools = assistantTools(defaultOrgSettings);
const toolValue = fc.oneof(
  anyText(40),
  fc.array(anyText(12), { maxLength: 4 }),
  fc.constantFrom(...defaultStages.map((st) => st.key), '王芳', '#12', '明天10点', 'a\n/assign 王芳 李四'),
  fc.integer(),
);

/** The parsers of what people type and import: commands, times, search, import files, the assistant's tool calls. */
export const coreTargets: FuzzTarget[] = [
  {
    name: 'command parser: a command word without spaces or @, trimmed arguments, or null',
    weight: 40,
    property: sync([commandText], (text) => {
      const c = parseCommand(text);
      if (c === null) return;
      if (!c.word || /[\s@]/.test(c.word) || c.word !== c.word.toLowerCase())
        throw new Error(`word ${c.word}`);
      if (c.args !== c.args.trim()) throw new Error('untrimmed args');
    }),
  },
  {
    name: 'reminder times: parseWhen never throws, returns a real moment and the rest of the text',
    weight: 30,
    property: sync(
      [
        whenText,
        fc.integer({ min: 0, max: 4102444800000 }),
        fc.constantFrom('Asia/Shanghai', 'Europe/London', 'America/New_York', 'UTC', 'Not/AZone'),
      ],
      (text, now, zone) => {
        const parsed = parseWhen(text, now, zone);
        if (parsed === null) return;
        if (!Number.isFinite(parsed.at) || Math.abs(parsed.at) > 8.64e15) throw new Error(`at ${parsed.at}`);
        if (typeof parsed.rest !== 'string' || parsed.rest !== parsed.rest.trim()) throw new Error('rest');
      },
    ),
  },
  {
    name: 'reminder times: a formatted moment parses back to itself',
    weight: 20,
    property: sync(
      [
        fc.integer({ min: 946684800, max: 4102444799 }).map((s) => Math.floor(s / 60) * 60_000),
        fc.integer({ min: 0, max: 4102444800000 }),
      ],
      (at, now) => {
        const local = new Date(at + 8 * 3_600_000).toISOString();
        const text = `${local.slice(0, 10)} ${local.slice(11, 16)} 回访王芳`;
        const parsed = parseWhen(text, now, 'Asia/Shanghai');
        if (parsed?.at !== at || parsed.rest !== '回访王芳')
          throw new Error(`${text} → ${JSON.stringify(parsed)}`);
      },
    ),
  },
  {
    name: 'search: grams of a query are among the grams of any text containing it',
    weight: 30,
    property: sync([anyText(20), anyText(20), anyText(20)], (rawBefore, rawQuery, rawAfter) => {
      // Text arrives decoded from UTF-8, so it is well formed: lone surrogates cannot pair up across the joins.
      const query = wellFormed(rawQuery);
      const text = wellFormed(rawBefore) + query + wellFormed(rawAfter);
      const all = new Set(grams(text));
      for (const g of grams(query)) if (!all.has(g)) throw new Error(`gram ${g} missing`);
      const digits = phoneDigits(query);
      if (digits !== null && !/^\d*$/.test(digits)) throw new Error(`phoneDigits ${digits}`);
      for (const key of searchKeys(text)) if (typeof key !== 'string' || !key) throw new Error('empty key');
    }),
  },
  {
    name: 'import values: every check returns ok with a clean value or a reason',
    weight: 30,
    property: sync([fc.oneof(anyText(40), fc.stringMatching(/^[+0-9 ()\-.e]{0,24}$/))], (raw) => {
      for (const c of [
        checkPhone(raw),
        checkEmail(raw),
        checkStage(raw, defaultStages),
        checkTags(raw),
        checkUnionId(raw),
        checkText(raw, 20),
      ]) {
        if (c.ok ? c.value === undefined : !c.reason)
          throw new Error(`check of ${JSON.stringify(raw)}: ${JSON.stringify(c)}`);
      }
      const phone = checkPhone(raw);
      if (phone.ok && !/^\+?\d{7,15}$/.test(phone.value)) throw new Error(`phone ${phone.value}`);
    }),
  },
  {
    name: 'import columns: --map specs parse or say why; any headers map without crashing',
    weight: 20,
    property: sync(
      [
        fc.array(
          fc.oneof(anyText(12), fc.constantFrom('姓名', '手机', 'Phone', 'name', '备注（选填）', '')),
          { maxLength: 8 },
        ),
        anyText(60),
      ],
      (headers, spec) => {
        let overrides = new Map();
        try {
          overrides = parseColumnMap(spec);
        } catch (error) {
          assertTypedFailure(error);
        }
        const mapping = mapColumns(headers, overrides);
        for (const index of mapping.fields.keys())
          if (!(index in headers)) throw new Error('mapped a missing column');
        for (const h of headers) if (typeof normalizeHeader(h) !== 'string') throw new Error('header');
      },
    ),
  },
  {
    name: 'assistant tool calls: arguments are checked, and a valid call is exactly one command line',
    weight: 20,
    property: sync(
      [
        fc.constantFrom(...tools),
        fc.oneof(
          fc.dictionary(
            fc.constantFrom('customer', 'tags', 'stage', 'text', 'note', 'query', 'at', 'amount', 'title'),
            toolValue,
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        fc.boolean(),
      ],
      (tool, raw, asText) => {
        const input = asText
          ? (JSON.stringify(raw) ?? '').slice(0, -1)
          : JSON.parse(JSON.stringify(raw) ?? 'null');
        const parsed = tool.args.safeParse(input);
        if (!parsed.success) return;
        const line = tool.command(parsed.data, '#12');
        if ([...line].some((c) => c.charCodeAt(0) < 32 || c === '\u007f' || c === '\u2028' || c === '\u2029'))
          throw new Error(`control character in ${JSON.stringify(line)}`);
        const command = parseCommand(line);
        if (!command) throw new Error(`not a command: ${JSON.stringify(line)}`);
      },
    ),
  },
  {
    name: 'import files: any CSV or JSON file reads as a table or fails with a message',
    weight: 2,
    property: async(
      [
        fc.oneof(csvText, jsonBody([{ 姓名: '王芳', 手机: '13800138000', 标签: ['a', 'b'] }])),
        fc.constantFrom('csv', 'json'),
        fc.boolean(),
      ] as const,
      async (text, format, gbk) => {
        const file = join(tmp, `t.${format}`);
        writeFileSync(file, gbk ? Buffer.from(text, 'latin1') : text);
        try {
          const table = await readTable(file, format as 'csv' | 'json');
          if (!table.headers.every(isString) || !table.rows.every((r) => r.cells.every(isString)))
            throw new Error('non-string cell');
        } catch (error) {
          assertTypedFailure(error);
        }
      },
    ),
  },
];
