// Duplicate suggestions at scale on PostgreSQL: the `/find` dataset's PostgreSQL copy (bench/find-postgres.ts) with
// the SQLite file's suggestions copied in, measured by the same queries as bench/duplicates.ts.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { measureDuplicates, seedSuggestions } from './duplicates.ts';
import { findData } from './find-data.ts';
import { insertRows, openFindPostgres } from './find-postgres.ts';

const CUSTOMERS = Number(process.env.BENCH_FIND_CUSTOMERS ?? 1_000_000);
const MESSAGES = Number(process.env.BENCH_FIND_MESSAGES ?? CUSTOMERS * 10);
const DIR = process.env.BENCH_FIND_DIR ?? join(import.meta.dirname, '..', 'data', 'bench');
const BATCH = 5000;

export async function benchDuplicatesPostgres(): Promise<boolean> {
  console.log(`duplicate suggestions over ${CUSTOMERS.toLocaleString()} customers (PostgreSQL)`);
  const data = await findData(DIR, CUSTOMERS, MESSAGES);
  const wanted = seedSuggestions(data.file);
  const db = await openFindPostgres(data.file);
  const have = Number(
    (await sql<{ n: string }>`select count(*) as n from merge_suggestions`.execute(db)).rows[0]?.n ?? 0,
  );
  if (have !== wanted) {
    await sql`truncate merge_suggestions restart identity`.execute(db);
    const source = new BetterSqlite3(data.file, { readonly: true });
    const rows = source.prepare('select * from merge_suggestions order by id').all();
    source.close();
    for (let i = 0; i < rows.length; i += BATCH)
      await insertRows(db, 'merge_suggestions', rows.slice(i, i + BATCH));
    await sql`vacuum analyze merge_suggestions`.execute(db);
  }
  console.log(`  ${wanted.toLocaleString()} suggestions`);
  const pass = await measureDuplicates(db, data);
  await db.destroy();
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!(await benchDuplicatesPostgres())) process.exitCode = 1;
}
