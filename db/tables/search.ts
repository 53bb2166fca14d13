// The `/find` index: what a customer's search text contains, as keys a B-tree finds without scanning.

/**
 * One row per (key, customer). Keys are the bigrams of each line of `customers.search_text`, `d:` + every
 * 4+-digit suffix of its digit runs, and `d:` + every 4 digits in a row (exact keys; see `searchKeys` in
 * src/core/records/customers/search-text.ts). The primary key
 * (gram, customer_id) serves lookups and prefix ranges; an index on customer_id serves maintenance.
 */
export interface CustomerSearchGramTable {
  gram: string;
  customer_id: number;
}

/** Which version of a derivation (e.g. `search_keys`) the stored derived rows were built with (migration 0020). */
export interface DerivedDataTable {
  name: string;
  version: number;
  built_at: number;
}
