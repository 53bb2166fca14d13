// Literals one of which every match of a rule's regex holds, so the tagger runs the regex only on messages where the
// term automaton saw one. Conservative by construction: a construct it does not model adds no requirement, and one
// it cannot parse gives no filter at all (the regex then runs on every message, as before).

/** Most strings a set of alternatives is kept exact with. */
const MAX_SET = 64;
/** Longest string kept in an exact set. */
const MAX_LENGTH = 24;
/** Most characters of a class enumerated (a larger class is any character). */
const MAX_CLASS = 16;
/** Most strings in an alternation's requirement. */
const MAX_REQUIRED = 256;

/** What is known of the strings a piece of the regex matches. */
interface Info {
  /** A superset of every string it matches (may hold ''), when small; null when unknown. */
  exact: Set<string> | null;
  /** Non-empty strings, one of which is inside every string it matches; null when none is known. */
  required: Set<string> | null;
}

const UNKNOWN: Info = { exact: null, required: null };
const empty = (): Info => ({ exact: new Set(['']), required: null });
const DIGITS = '0123456789';

class Unsupported extends Error {}

/**
 * Strings one of which occurs in the text wherever the regex (flags 'gi', no 'u') matches it, for text that is
 * normalized (lower case: no A-Z); null when no such set is known. Letters are lower-cased; only characters without
 * case variants beyond ASCII's are used (ASCII, CJK ideographs and punctuation, surrogate halves).
 */
export function requiredLiterals(source: string): string[] | null {
  try {
    const parser = new Parser(source);
    const info = parser.alternation();
    if (parser.pos !== source.length) return null;
    const set = requirementOf(info);
    return set ? [...set] : null;
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

/** Case-stable code units: with flag i (no u) they match only themselves, A-Z only their lower case in the text. */
function safe(c: number): boolean {
  return (
    c < 0x80 || (c >= 0x3000 && c <= 0x303f) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xd800 && c <= 0xdfff)
  );
}
const lower = (c: number) => String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);

function requirementOf(info: Info): Set<string> | null {
  if (info.exact?.size && !info.exact.has('')) return info.exact;
  return info.required;
}

function product(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_SET) return null;
  const out = new Set<string>();
  for (const x of a)
    for (const y of b) {
      if (x.length + y.length > MAX_LENGTH) return null;
      out.add(x + y);
    }
  return out;
}

/** Longer shortest string first (capped: a long literal is not much rarer), then fewer strings. */
function better(a: Set<string>, b: Set<string> | null): boolean {
  if (!b) return true;
  const shortest = (s: Set<string>) => Math.min(8, ...[...s].map((x) => x.length));
  const la = shortest(a);
  const lb = shortest(b);
  return la > lb || (la === lb && a.size < b.size);
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  /** Alternatives up to a ')' or the end: one of their requirements holds. */
  alternation(): Info {
    const alternatives = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      alternatives.push(this.sequence());
    }
    if (alternatives.length === 1) return alternatives[0]!;
    let exact: Set<string> | null = new Set();
    let required: Set<string> | null = new Set();
    for (const alt of alternatives) {
      if (exact && alt.exact) for (const s of alt.exact) exact.add(s);
      else exact = null;
      const r = requirementOf(alt);
      if (required && r) for (const s of r) required.add(s);
      else required = null;
    }
    if (exact && exact.size > MAX_SET) exact = null;
    if (required && required.size > MAX_REQUIRED) required = null;
    return { exact, required };
  }

  /** Items one after another: runs of exact items multiply out; the best requirement of any part holds. */
  private sequence(): Info {
    let run = new Set(['']);
    let whole = true;
    let best: Set<string> | null = null;
    const consider = (set: Set<string> | null) => {
      if (set?.size && !set.has('') && better(set, best)) best = set;
    };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || c === '|' || c === ')') break;
      const item = this.quantified();
      const joined = item.exact && product(run, item.exact);
      if (joined) {
        run = joined;
        continue;
      }
      whole = false;
      consider(run);
      consider(item.required);
      run = item.exact ?? new Set(['']);
    }
    if (whole) return { exact: run, required: null };
    consider(run);
    return { exact: null, required: best };
  }

  private quantified(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    const [min, max] = q;
    if (this.src[this.pos] === '?') this.pos++;
    if (max === 0) return empty();
    if (min === 0) {
      if (max === 1 && atom.exact) return { exact: new Set([...atom.exact, '']), required: null };
      return UNKNOWN;
    }
    const required = requirementOf(atom);
    if (min === max && atom.exact) {
      let exact: Set<string> | null = new Set(['']);
      for (let i = 0; i < min && exact; i++) exact = product(exact, atom.exact);
      if (exact) return { exact, required: null };
    }
    return { exact: null, required };
  }

  /** [min, max] of a quantifier at pos (consumed), max Infinity when unbounded; null when there is none. */
  private quantifier(): [number, number] | null {
    const c = this.src[this.pos];
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      return c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    }
    const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos)) : null;
    if (!m) return null;
    this.pos += m[0].length;
    const min = Number(m[1]);
    return [min, m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity];
  }

  private atom(): Info {
    const { src } = this;
    const c = src[this.pos]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '*' || c === '+' || c === '?') throw new Unsupported();
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(this.pos))) throw new Unsupported();
    this.pos++;
    if (c === '.') return UNKNOWN;
    if (c === '^' || c === '$') return empty();
    return literal(c.charCodeAt(0));
  }

  private group(): Info {
    const { src } = this;
    this.pos++;
    let assertion = false;
    if (src[this.pos] === '?') {
      const rest = src.slice(this.pos, this.pos + 3);
      if (rest.startsWith('?:')) this.pos += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) [this.pos, assertion] = [this.pos + 2, true];
      else if (rest === '?<=' || rest === '?<!') [this.pos, assertion] = [this.pos + 3, true];
      else {
        const named = /^\?<[A-Za-z_$][\w$]*>/.exec(src.slice(this.pos));
        if (!named) throw new Unsupported();
        this.pos += named[0].length;
      }
    }
    const inner = this.alternation();
    if (src[this.pos] !== ')') throw new Unsupported();
    this.pos++;
    // A lookaround consumes nothing: what it asks of the text is left out (a weaker requirement, still true).
    return assertion ? empty() : inner;
  }

  /** An escape outside a class. */
  private escape(): Info {
    const d = this.src[this.pos + 1];
    if (d === 'd') {
      this.pos += 2;
      return { exact: new Set(DIGITS), required: null };
    }
    if (d === 'b' || d === 'B') {
      this.pos += 2;
      return empty();
    }
    const unit = this.escapedUnit();
    return unit === null ? UNKNOWN : literal(unit);
  }

  /**
   * The code unit of an escape at pos (consumed); null for a class escape other than \d (\D \w \W \s \S). \d gives
   * -1. Throws on what it does not model (back-references, \p, \k, odd \u and \c forms).
   */
  private escapedUnit(inClass = false): number | null {
    const { src } = this;
    const d = src[this.pos + 1];
    if (d === undefined) throw new Unsupported();
    this.pos += 2;
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12 };
    if (d in simple) return simple[d]!;
    if (d === 'd') return -1;
    if ('DwWsS'.includes(d)) return null;
    if (inClass && d === 'b') return 8;
    if (d === '0') {
      if (/\d/.test(src[this.pos] ?? '')) throw new Unsupported();
      return 0;
    }
    if (/[1-9kpPbB]/.test(d)) throw new Unsupported();
    if (d === 'x' || d === 'u') {
      const digits = d === 'x' ? 2 : 4;
      const hex = src.slice(this.pos, this.pos + digits);
      if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex)) {
        this.pos += digits;
        return Number.parseInt(hex, 16);
      }
      if (d === 'u') throw new Unsupported();
      return d.charCodeAt(0);
    }
    if (d === 'c') {
      const letter = src[this.pos];
      if (!letter || !/[A-Za-z]/.test(letter)) throw new Unsupported();
      this.pos++;
      return letter.charCodeAt(0) % 32;
    }
    return d.charCodeAt(0);
  }

  private charClass(): Info {
    const { src } = this;
    this.pos++;
    const negated = src[this.pos] === '^';
    if (negated) this.pos++;
    const units = new Set<number>();
    let anything = negated;
    const member = (): number | null => {
      if (src[this.pos] === '\\') return this.escapedUnit(true);
      if (this.pos >= src.length) throw new Unsupported();
      return src.charCodeAt(this.pos++);
    };
    while (src[this.pos] !== ']') {
      const lo = member();
      if (src[this.pos] === '-' && this.pos + 1 < src.length && src[this.pos + 1] !== ']') {
        this.pos++;
        const hi = member();
        if (lo === null || hi === null || lo < 0 || hi < 0) throw new Unsupported();
        if (hi - lo >= MAX_CLASS) anything = true;
        else for (let u = lo; u <= hi; u++) units.add(u);
      } else if (lo === null) anything = true;
      else if (lo < 0) for (const digit of DIGITS) units.add(digit.charCodeAt(0));
      else units.add(lo);
    }
    this.pos++;
    if (anything || !units.size || units.size > MAX_CLASS || ![...units].every(safe)) return UNKNOWN;
    return { exact: new Set([...units].map(lower)), required: null };
  }
}

function literal(unit: number): Info {
  return safe(unit) ? { exact: new Set([lower(unit)]), required: null } : UNKNOWN;
}
