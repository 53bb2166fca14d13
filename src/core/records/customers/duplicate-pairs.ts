import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { customerScope, type Viewer } from '../../kernel/permissions/scope.ts';
import { type Evidence, parseEvidence } from './duplicate-signals.ts';

/** An open suggestion with both customers' names, for lists. */
export interface SuggestionPair {
  a: { id: number; name: string };
  b: { id: number; name: string };
  score: number;
  evidence: Evidence[];
}

type Builder = ExpressionBuilder<Database, 'merge_suggestions'>;

type Side = 'customer_a_id' | 'customer_b_id';
type Scope = ReturnType<typeof customerScope>;

const COLUMNS = [
  'merge_suggestions.id',
  'merge_suggestions.customer_a_id as aId',
  'merge_suggestions.customer_b_id as bId',
  'merge_suggestions.score',
  'merge_suggestions.evidence',
] as const;

/** A condition: the suggestion's customer on `side` is not merged away and is in the scope. */
const visible = (scope: Scope) => (eb: Builder, side: Side) => {
  let q = eb
    .selectFrom('customers')
    .select('customers.id')
    .whereRef('customers.id', '=', `merge_suggestions.${side}`)
    .where('customers.merged_into_id', 'is', null);
  if (scope) q = q.where(scope);
  return eb.exists(q);
};

/**
 * Open suggestions whose two customers the viewer can both see (neither merged away), strongest first. A rep's are
 * the pairs with one of their own customers (the unowned pool's pairs are the team's: managers list them).
 */
export async function openSuggestionsInScope(
  db: Kysely<Database>,
  viewer: Viewer | null,
  limit: number,
): Promise<SuggestionPair[]> {
  const scope = viewer ? customerScope(db, viewer) : null;
  const rows =
    viewer?.role === 'rep'
      ? await pairsOfOwner(db, viewer.staffId, scope, limit)
      : await pairsInScope(db, scope, limit);
  const ids = [...new Set(rows.flatMap((r) => [r.aId, r.bId]))];
  const names =
    ids.length === 0
      ? new Map<number, string>()
      : new Map(
          (
            await db.selectFrom('customers').select(['id', 'display_name']).where('id', 'in', ids).execute()
          ).map((c) => [c.id, c.display_name]),
        );
  return rows.map((r) => ({
    a: { id: r.aId, name: names.get(r.aId) ?? '' },
    b: { id: r.bId, name: names.get(r.bId) ?? '' },
    score: r.score,
    evidence: parseEvidence(r.evidence),
  }));
}

/** Read in order from the (status, score, id) index, each side checked by primary key and scope, until `limit` pass. */
function pairsInScope(db: Kysely<Database>, scope: Scope, limit: number) {
  const side = visible(scope);
  return (
    db
      .selectFrom('merge_suggestions')
      .select(COLUMNS)
      .where('merge_suggestions.status', '=', 'open')
      .where((eb) => eb.and([side(eb, 'customer_a_id'), side(eb, 'customer_b_id')]))
      // Newest first among equals: the index read backwards (migration 0014), no sort of the open suggestions.
      .orderBy('merge_suggestions.score', 'desc')
      .orderBy('merge_suggestions.id', 'desc')
      .limit(limit)
      .execute()
  );
}

/**
 * Pairs with one of the owner's customers, the other in scope: read from the owner's customers (the owner index)
 * through the suggestions' a and b indexes, so the cost follows the owner's book, not every open suggestion.
 */
function pairsOfOwner(db: Kysely<Database>, ownerId: number, scope: Scope, limit: number) {
  const side = visible(scope);
  const own = (mine: Side, other: Side) =>
    db
      .selectFrom('customers as mine')
      // CROSS JOIN: SQLite keeps `mine` as the outer loop (without statistics it may start from the open index).
      .crossJoin('merge_suggestions')
      .whereRef(`merge_suggestions.${mine}`, '=', 'mine.id')
      .select(COLUMNS)
      .where('mine.owner_staff_id', '=', ownerId)
      .where('merge_suggestions.status', '=', 'open')
      // Both sides checked by primary key only where there is a suggestion: the owner's customers are read from the
      // owner index alone (covering), never row by row.
      .where((eb) => eb.and([side(eb, mine), side(eb, other)]));
  return db
    .selectFrom(own('customer_a_id', 'customer_b_id').union(own('customer_b_id', 'customer_a_id')).as('s'))
    .selectAll()
    .orderBy('s.score', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * How many open suggestions touch a set of customers (a digest's scope): a WHERE condition on `customers`, as
 * `customersIn` gives. Either side in the scope counts: the owner of either record should look.
 */
export async function countOpenSuggestions(
  db: Kysely<Database>,
  inScope: (eb: ExpressionBuilder<Database, 'customers'>) => Expression<SqlBool>,
): Promise<number> {
  const side = visible(inScope);
  // Correlated by primary key: walks the open suggestions, never the scope's whole customer list.
  const row = await db
    .selectFrom('merge_suggestions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merge_suggestions.status', '=', 'open')
    .where((eb) => eb.or([side(eb, 'customer_a_id'), side(eb, 'customer_b_id')]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
