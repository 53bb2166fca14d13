/**
 * Whether two names may be one person — so that a shared phone may merge them. False only when they are clearly
 * different: a family, a shop or a switchboard shares one number among several people, and merging two people
 * mixes their timelines, owners and deals. Lenient on purpose: the same name written otherwise (case, spaces,
 * punctuation, full-width letters), one name inside the other (王芳 / 王芳芳, 刘洋（采购）), the same words in
 * another order or with initials (Wang Fang / Fang Wang, J. Smith / John Smith), a surname with a title (刘总,
 * 小刘, 刘先生 / 刘洋), or one typo that keeps the surname (刘洋 / 刘阳, Jon Smith / John Smith).
 */
export function namesMayMatch(a: string, b: string): boolean {
  const x = squash(a);
  const y = squash(b);
  if (!x || !y || x.includes(y) || y.includes(x)) return true;
  if (sameWords(a, b)) return true;
  const sx = surnameOnly(x);
  const sy = surnameOnly(y);
  if ((sx && y.startsWith(sx)) || (sy && x.startsWith(sy))) return true;
  return oneTypo(x, y) && (isLatin(x) || x[0] === y[0]);
}

/** Letters and digits only, compatibility-folded (full-width Ａ → A) and lower-cased. */
function squash(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

const words = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** Each word of the shorter name is a word of the other, or the initial of one (j ↔ john). */
function sameWords(a: string, b: string): boolean {
  const [short, long] = [words(a), words(b)].sort((p, q) => p.length - q.length) as [string[], string[]];
  if (short.length < 2) return false;
  const left = [...long];
  for (const w of short) {
    const i = left.findIndex(
      (l) => l === w || (w.length === 1 && l.startsWith(w)) || (l.length === 1 && w.startsWith(l)),
    );
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

const TITLE_BEFORE = /^(小|老|阿)/;
const TITLE_AFTER =
  /(先生|女士|小姐|太太|夫人|老板|老师|经理|总监|主任|师傅|医生|律师|会计|总|工|姐|哥|董|生)$/;

/** The surname a titled Chinese name stands for (刘总, 小刘, 刘先生 → 刘), or null for anything else. */
function surnameOnly(name: string): string | null {
  const bare = name.replace(TITLE_BEFORE, '').replace(TITLE_AFTER, '');
  if (bare === name || !/^\p{Script=Han}{1,2}$/u.test(bare)) return null;
  return bare;
}

const isLatin = (name: string) => /^[\p{Script=Latin}\d]+$/u.test(name);

/** Edit distance exactly one (a letter changed, added or dropped), for names of at least two characters. */
function oneTypo(x: string, y: string): boolean {
  const a = [...x];
  const b = [...y];
  if (Math.min(a.length, b.length) < 2 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1).join('') === b.slice(i + 1).join('');
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.slice(i).join('') === long.slice(i + 1).join('');
}
