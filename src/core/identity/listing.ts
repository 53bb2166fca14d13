import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { customerScope, type Viewer } from '../permissions/scope.ts';
import { type Evidence, parseEvidence } from './signals.ts';

/** An open suggestion with both customers' names, for lists. */
export interface SuggestionPair {
  a: { id: number; name: string };
  b: { id: number; name: string };
  score: number;
  evidence: Evidence[];
}

type Builder = ExpressionBuilder<Database, 'merge_suggestions'>;

/**
 * Open suggestions whose two customers the viewer can both see (neither merged away), strongest first. Read from
 * the (status, score) index, each side checked by its primary key and the scope, until `limit` pass.
 */
export async function openSuggestionsInScope(
  db: Kysely<Database>,
  viewer: Viewer | null,
  limit: number,
): Promise<SuggestionPair[]> {
  const scope = viewer ? customerScope(db, viewer) : null;
  const side = (eb: Builder, column: 'customer_a_id' | 'customer_b_id') => {
    let q = eb
      .selectFrom('customers')
      .select('customers.id')
      .whereRef('customers.id', '=', `merge_suggestions.${column}`)
      .where('customers.merged_into_id', 'is', null);
    if (scope) q = q.where(scope);
    return eb.exists(q);
  };
  const rows = await db
    .selectFrom('merge_suggestions')
    .select([
      'merge_suggestions.id',
      'merge_suggestions.customer_a_id as aId',
      'merge_suggestions.customer_b_id as bId',
      'merge_suggestions.score',
      'merge_suggestions.evidence',
    ])
    .where('merge_suggestions.status', '=', 'open')
    .where((eb) => eb.and([side(eb, 'customer_a_id'), side(eb, 'customer_b_id')]))
    // Newest first among equals: SQLite reads the (status, score) index backwards (its rowid is the id), no sort.
    .orderBy('merge_suggestions.score', 'desc')
    .orderBy('merge_suggestions.id', 'desc')
    .limit(limit)
    .execute();
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

/**
 * How many open suggestions touch a set of customers (a digest's scope): a WHERE condition on `customers`, as
 * `customersIn` gives. Either side in the scope counts: the owner of either record should look.
 */
export async function countOpenSuggestions(
  db: Kysely<Database>,
  inScope: (eb: ExpressionBuilder<Database, 'customers'>) => Expression<SqlBool>,
): Promise<number> {
  const side = (eb: Builder, column: 'customer_a_id' | 'customer_b_id') =>
    eb.exists(
      eb
        .selectFrom('customers')
        .select('customers.id')
        .whereRef('customers.id', '=', `merge_suggestions.${column}`)
        .where('customers.merged_into_id', 'is', null)
        .where(inScope),
    );
  // Correlated by primary key: walks the open suggestions, never the scope's whole customer list.
  const row = await db
    .selectFrom('merge_suggestions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('merge_suggestions.status', '=', 'open')
    .where((eb) => eb.or([side(eb, 'customer_a_id'), side(eb, 'customer_b_id')]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
