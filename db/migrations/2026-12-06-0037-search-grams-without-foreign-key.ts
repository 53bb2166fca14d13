import { sql } from 'kysely';
import { type AnyDb, isPostgres } from './helpers.ts';

/**
 * SQLite and D1 (PostgreSQL keeps its keys in `customers.search_keys`): `customer_search_grams` loses its foreign key.
 * SQLite checked it for every key of every new customer, a third of the cost of indexing one (32 → 21 µs for a new
 * customer's keys). A trigger does what the key's cascade did: a deleted customer leaves no keys. SQLite cannot drop a
 * constraint, so the table is copied into its new shape.
 */
export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) return;
  await sql`create table customer_search_grams_next (gram text not null, customer_id bigint not null,
    constraint customer_search_grams_pk primary key (gram, customer_id)) without rowid`.execute(db);
  await copyAndSwap(db);
  await sql`create trigger customer_search_grams_cascade after delete on customers
    begin delete from customer_search_grams where customer_id = old.id; end`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) return;
  await sql`drop trigger customer_search_grams_cascade`.execute(db);
  await sql`create table customer_search_grams_next (gram text not null,
    customer_id bigint not null references customers (id) on delete cascade,
    constraint customer_search_grams_pk primary key (gram, customer_id)) without rowid`.execute(db);
  await copyAndSwap(db);
}

async function copyAndSwap(db: AnyDb): Promise<void> {
  await sql`insert into customer_search_grams_next (gram, customer_id)
    select gram, customer_id from customer_search_grams`.execute(db);
  await sql`drop table customer_search_grams`.execute(db);
  await sql`alter table customer_search_grams_next rename to customer_search_grams`.execute(db);
  await sql`create index customer_search_grams_customer on customer_search_grams (customer_id)`.execute(db);
}
