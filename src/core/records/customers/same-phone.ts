import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { normalizePhone } from './search-text.ts';
import { checkPhone, phoneVariants } from './values.ts';

/** A phone typed in by a person, as Liaison stores it (the form imports store; see `checkPhone`). */
export function storedPhone(raw: string): string {
  const checked = checkPhone(raw);
  return checked.ok ? checked.value : normalizePhone(raw);
}

/** Customers (not merged away) with the same number as `raw` in any stored form, oldest first; `except` left out. */
export async function customersWithPhone(
  db: Kysely<Database>,
  raw: string,
  except?: number,
): Promise<number[]> {
  let q = db
    .selectFrom('customers')
    .select('id')
    .where('phone', 'in', phoneVariants(storedPhone(raw)))
    .where('merged_into_id', 'is', null)
    .orderBy('id');
  if (except !== undefined) q = q.where('id', '!=', except);
  return (await q.execute()).map((r) => r.id);
}
