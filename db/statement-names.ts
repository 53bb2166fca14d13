/**
 * Names for the SQL of prepared queries (`prepared.ts`) on PostgreSQL: a statement run by name is parsed and planned
 * once per connection instead of at every run (`postgres.ts`). Only SQL of a fixed shape is named, and none that
 * selects `*`: a column added by a migration would make PostgreSQL refuse a prepared plan whose row type changed.
 */
const names = new Map<string, string>();

/** Names `sql` for connections to use; a statement already named keeps its name. */
export function nameStatement(sql: string): void {
  if (names.has(sql) || /\*\s*(,|from\b|$)|\.\*/i.test(sql)) return;
  names.set(sql, `liaison_${names.size + 1}`);
}

/** The name of `sql` if it was named, else undefined (run unnamed, parsed anew). */
export const statementName = (sql: string): string | undefined => names.get(sql);
