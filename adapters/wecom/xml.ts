import { XMLParser } from 'fast-xml-parser';
import type { WecomXml } from './types.ts';

const parser = new XMLParser({
  processEntities: false,
  ignoreDeclaration: true,
  ignoreAttributes: true,
  // Ids stay strings: MsgId exceeds 2^53.
  parseTagValue: false,
  trimValues: true,
});

/** Any markup declaration but CDATA (DOCTYPE, ENTITY…): WeCom never sends one, an attacker might (XXE). */
const DECLARATION = /<!(?!\[CDATA\[)/;

/** Reads a flat `<xml>…</xml>` document; null when it is not one, or declares anything. */
export function parseWecomXml(text: string): WecomXml | null {
  if (DECLARATION.test(text)) return null;
  try {
    const doc = parser.parse(text) as { xml?: unknown };
    if (!doc.xml || typeof doc.xml !== 'object') return null;
    const fields: WecomXml = {};
    for (const [k, v] of Object.entries(doc.xml as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    }
    return fields;
  } catch {
    return null;
  }
}
