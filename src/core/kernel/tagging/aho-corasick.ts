// Aho-Corasick over UTF-16 code units, flattened into typed arrays after it is built: the tagger scans every message
// with it, so a step is a table lookup or a short array search instead of a Map lookup, and a scan allocates nothing.

/** How many code units index the root's dense table. */
const UNITS = 0x10000;
/** Above this many children a node's edges are binary-searched rather than scanned. */
const LINEAR_EDGES = 8;

/** Every occurrence of every pattern in one pass; outputs at one end come longest pattern first. */
export class AhoCorasick {
  /** The root's child for each code unit (0: none, so the scan stays at the root). */
  private readonly root: Int32Array;
  /** Per node (and one past the last), where its edges start in `edgeUnit`/`edgeTarget`, sorted by code unit. */
  private readonly edgeStart: Int32Array;
  private readonly edgeUnit: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly fail: Int32Array;
  /** Per node (and one past the last), where its outputs (own pattern, then its suffixes') start in `outs`. */
  private readonly outStart: Int32Array;
  private readonly outs: Int32Array;
  /** Found (pattern, end) pairs of the last `scanAll`, reused across scans. */
  hits: Int32Array = new Int32Array(256);

  /** Patterns must be distinct and non-empty (an empty one is never reported). */
  constructor(patterns: readonly string[]) {
    // The trie: one Map from node * UNITS + code unit to child (far fewer objects than a Map per node).
    const edges = new Map<number, number>();
    const own: number[] = [-1];
    const unitOf: number[] = [0];
    const parentOf: number[] = [0];
    patterns.forEach((p, id) => {
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let child = edges.get(node * UNITS + c);
        if (child === undefined) {
          child = own.push(-1) - 1;
          unitOf.push(c);
          parentOf.push(node);
          edges.set(node * UNITS + c, child);
        }
        node = child;
      }
      if (p.length && own[node] === -1) own[node] = id;
    });
    const count = own.length;
    // Children of each node, bucketed by parent (nodes were made in order), each bucket sorted by code unit.
    const edgeStart = new Int32Array(count + 1);
    for (let child = 1; child < count; child++) edgeStart[parentOf[child]! + 1]! += 1;
    for (let node = 0; node < count; node++) edgeStart[node + 1]! += edgeStart[node]!;
    const units = new Uint16Array(count - 1);
    const targets = new Int32Array(count - 1);
    const cursor = edgeStart.slice(0, count);
    for (let child = 1; child < count; child++) {
      const e = cursor[parentOf[child]!]!++;
      units[e] = unitOf[child]!;
      targets[e] = child;
    }
    for (let node = 0; node < count; node++) {
      const from = edgeStart[node]!;
      const to = edgeStart[node + 1]!;
      if (to - from < 2) continue;
      const sorted = [...targets.subarray(from, to)].sort((a, b) => unitOf[a]! - unitOf[b]!);
      sorted.forEach((child, k) => {
        units[from + k] = unitOf[child]!;
        targets[from + k] = child;
      });
    }
    this.edgeStart = edgeStart;
    this.edgeUnit = units;
    this.edgeTarget = targets;
    this.root = new Int32Array(UNITS);
    for (let e = this.edgeStart[0]!; e < this.edgeStart[1]!; e++)
      this.root[this.edgeUnit[e]!] = this.edgeTarget[e]!;
    // Fail links breadth first; each node's outputs: its own pattern, then those of its fail target (done earlier).
    const fail = new Int32Array(count);
    const outLink = new Int32Array(count); // the nearest proper suffix node with a pattern of its own, 0 for none
    const queue = Array.from(this.edgeTarget.subarray(this.edgeStart[0]!, this.edgeStart[1]!));
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (let e = this.edgeStart[node]!; e < this.edgeStart[node + 1]!; e++) {
        const c = this.edgeUnit[e]!;
        const child = this.edgeTarget[e]!;
        let f = fail[node]!;
        while (f && !edges.has(f * UNITS + c)) f = fail[f]!;
        const target = edges.get(f * UNITS + c);
        const to = target !== undefined && target !== child ? target : 0;
        fail[child] = to;
        outLink[child] = own[to]! >= 0 ? to : outLink[to]!;
        queue.push(child);
      }
    }
    this.fail = fail;
    this.outStart = new Int32Array(count + 1);
    const outs: number[] = [];
    for (let node = 0; node < count; node++) {
      this.outStart[node] = outs.length;
      if (own[node]! >= 0) outs.push(own[node]!);
      for (let s = outLink[node]!; s; s = outLink[s]!) outs.push(own[s]!);
    }
    this.outStart[count] = outs.length;
    this.outs = Int32Array.from(outs);
  }

  /** The node reached from `node` (not the root) on code unit c, or -1 when it has no such edge. */
  private child(node: number, c: number): number {
    let lo = this.edgeStart[node]!;
    let hi = this.edgeStart[node + 1]!;
    const units = this.edgeUnit;
    if (hi - lo <= LINEAR_EDGES) {
      for (; lo < hi; lo++) if (units[lo] === c) return this.edgeTarget[lo]!;
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const u = units[mid]!;
      if (u === c) return this.edgeTarget[mid]!;
      if (u < c) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Finds every occurrence, in order of end position: `hits` holds (pattern, end) pairs; returns how many ints. */
  scanAll(text: string): number {
    const { root, fail, outStart, outs } = this;
    let hits = this.hits;
    let n = 0;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = -1;
      while (node !== 0) {
        to = this.child(node, c);
        if (to >= 0) break;
        node = fail[node]!;
      }
      node = to >= 0 ? to : root[c]!;
      const from = outStart[node]!;
      const until = outStart[node + 1]!;
      if (from === until) continue;
      if (n + 2 * (until - from) > hits.length) {
        const grown = new Int32Array(Math.max(hits.length * 2, n + 2 * (until - from)));
        grown.set(hits.subarray(0, n));
        this.hits = hits = grown;
      }
      for (let o = from; o < until; o++) {
        hits[n++] = outs[o]!;
        hits[n++] = i + 1;
      }
    }
    return n;
  }
}
