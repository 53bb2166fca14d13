import type { D1Database, D1PreparedStatement } from './d1.ts';

/** Statements one shared round trip takes at most; the rest wait for the next. */
const MOST_PER_ROUND_TRIP = 32;

/** What a statement's `all()` resolves to, as D1 answers it (a batch answers one per statement). */
type D1Answer = Awaited<ReturnType<D1PreparedStatement['all']>>;

interface Waiting {
  statement: D1PreparedStatement;
  resolve: (answer: D1Answer) => void;
  reject: (error: unknown) => void;
}

/** The D1 binding with its calls counted: what D1's per-invocation query limit and its latency are paid in. */
export interface BatchingD1 extends D1Database {
  /** Statements D1 has been asked to run so far, each of a batch counted. */
  readonly statements: number;
  /** Calls to D1 so far (a batch is one). */
  readonly roundTrips: number;
}

/**
 * The D1 binding, with statements issued in the same turn sharing one round trip: D1 has no interactive
 * transactions, so the inbox's lanes and concurrent sends each wait on their own statements; those issued while
 * the others wait go to D1 together as one `batch()`. A batch is atomic, so when one of its statements fails none
 * of them ran: each then runs again alone, and only the one at fault gets its error.
 */
export function batchingD1(d1: D1Database): BatchingD1 {
  let waiting: Waiting[] = [];
  let statements = 0;
  let roundTrips = 0;

  const runAlone = (w: Waiting) => {
    statements++;
    roundTrips++;
    return w.statement.all().then(w.resolve, w.reject);
  };

  const flush = async () => {
    const taken = waiting.slice(0, MOST_PER_ROUND_TRIP);
    waiting = waiting.slice(taken.length);
    if (taken.length === 0) return; // an earlier turn's flush took them
    if (taken.length === 1) {
      await runAlone(taken[0] as Waiting);
      return;
    }
    statements += taken.length;
    roundTrips++;
    let answers: D1Answer[];
    try {
      answers = (await d1.batch(taken.map((w) => w.statement))) as D1Answer[];
    } catch {
      for (const w of taken) await runAlone(w);
      return;
    }
    for (const [i, w] of taken.entries()) w.resolve(answers[i] as D1Answer);
  };

  // After every promise continuation of this turn, so the other lanes' statements join. Each statement sets its own
  // timer: one set by another request's code would never fire if that request were cancelled meanwhile.
  const schedule = () => setTimeout(() => void flush(), 0);

  // A statement handed back to `batch()` goes to D1 as the binding's own.
  const realOf = new WeakMap<D1PreparedStatement, D1PreparedStatement>();
  const statementOf = (real: D1PreparedStatement): D1PreparedStatement => {
    const statement: D1PreparedStatement = {
      bind: (...values) => statementOf(real.bind(...values)),
      all: <T>() =>
        new Promise<{ results: T[] }>((resolve, reject) => {
          waiting.push({ statement: real, resolve: resolve as Waiting['resolve'], reject });
          schedule();
        }),
    };
    realOf.set(statement, real);
    return statement;
  };

  return {
    prepare: (query) => statementOf(d1.prepare(query)),
    batch: (list) => {
      statements += list.length;
      roundTrips++;
      return d1.batch(list.map((s) => realOf.get(s) ?? s));
    },
    get statements() {
      return statements;
    },
    get roundTrips() {
      return roundTrips;
    },
  };
}
