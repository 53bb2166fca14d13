import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { ContactProfile } from '../../ports/adapter.ts';
import { refreshSuggestionsFor } from './duplicates.ts';
import { indexCustomerSearch } from './search-index.ts';
import { buildSearchText, normalizePhone } from './search-text.ts';

/**
 * Brings a customer up to date with what the platform's directory says. Only empty fields are filled (company,
 * phone): what a rep typed into Liaison wins over the platform.
 */
export async function applyContactProfile(
  db: Kysely<Database>,
  ids: { customerId: number; identityId: number },
  profile: ContactProfile,
  now: number,
): Promise<void> {
  const phones = profile.followers
    .flatMap((f) => f.phones)
    .map(normalizePhone)
    .filter(Boolean);
  const company = profile.followers.find((f) => f.company)?.company ?? profile.company;
  await db
    .updateTable('identities')
    .set({
      display_name: profile.name,
      union_id: profile.unionId ?? null,
      phone: phones[0] ?? null,
      profile: JSON.stringify({ type: profile.type, gender: profile.gender, avatarUrl: profile.avatarUrl }),
      updated_at: now,
    })
    .where('id', '=', ids.identityId)
    .execute();
  const customer = await db
    .selectFrom('customers')
    .select(['company', 'phone'])
    .where('id', '=', ids.customerId)
    .executeTakeFirst();
  if (!customer) return;
  const fill = {
    ...(customer.company ? {} : company ? { company } : {}),
    ...(customer.phone ? {} : phones[0] ? { phone: phones[0] } : {}),
  };
  if (Object.keys(fill).length > 0) {
    await db
      .updateTable('customers')
      .set({ ...fill, updated_at: now })
      .where('id', '=', ids.customerId)
      .execute();
  }
  await refreshSearchText(db, ids.customerId);
  // The remark mobiles, company and name may make this customer look like another record: suggest, never merge.
  await refreshSuggestionsFor({ db }, ids.customerId, now);
}

/** Recomputes what `/find` matches (the customer's fields, every identity's names, staff remarks) and its index. */
export async function refreshSearchText(db: Kysely<Database>, customerId: number): Promise<void> {
  const [customer, identities, remarks] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['display_name', 'company', 'email', 'phone', 'search_text'])
      .where('id', '=', customerId)
      .executeTakeFirst(),
    db
      .selectFrom('identities')
      .select(['display_name', 'username', 'phone'])
      .where('customer_id', '=', customerId)
      .execute(),
    db.selectFrom('contact_relations').select('remark').where('customer_id', '=', customerId).execute(),
  ]);
  if (!customer) return;
  const parts = [
    customer.display_name,
    customer.company,
    customer.email,
    ...identities.flatMap((i) => [i.display_name, i.username, i.phone?.replace(/\D/g, '')]),
    ...remarks.map((r) => r.remark),
  ];
  const searchText = buildSearchText(parts, customer.phone);
  if (searchText !== customer.search_text) {
    await db.updateTable('customers').set({ search_text: searchText }).where('id', '=', customerId).execute();
  }
  // Even when unchanged: the index may lag after a crash between the two writes (it writes only differences).
  await indexCustomerSearch(db, customerId);
}
