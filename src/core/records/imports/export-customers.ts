import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { type AuditEntry, audit } from '../../kernel/audit.ts';
import { visibleContact } from '../../kernel/permissions/mask.ts';
import { type CustomerCondition, customerScope, type Viewer } from '../../kernel/permissions/scope.ts';
import { LISTED_CUSTOMER_COLUMNS } from '../customers/search.ts';

/**
 * The columns of an export, in order. The field names are the import's (see columns.ts), so an export imports back
 * as the same customers; `id`, `owner_name`, `source` and the times are read by people and skipped by imports.
 */
export const EXPORT_COLUMNS = [
  'id',
  'name',
  'company',
  'phone',
  'email',
  'stage',
  'owner',
  'owner_name',
  'tags',
  'unionid',
  'source',
  'first_contact_at',
  'last_contact_at',
] as const;

export interface ExportedCustomer {
  id: number;
  name: string;
  company: string | null;
  /** Masked unless the viewer may see it whole. */
  phone: string | null;
  email: string | null;
  stage: string;
  /** The owner's first platform account as `platform:userId` (what `--owner` and imports take), else their name. */
  owner: string | null;
  ownerName: string | null;
  tags: string[];
  unionId: string | null;
  source: string | null;
  firstContactAt: number;
  lastContactAt: number | null;
}

export interface ExportOptions {
  /** Whose data scope applies; absent: every customer. */
  viewer?: Viewer;
  /** Whether phones and emails are shown whole (each batch with anything shown whole is audited). */
  unmask: boolean;
  /** Who asked, for the audit log. */
  actorStaffId: number | null;
  now: number;
  batchSize?: number;
  /** Only the customers this condition keeps (the console's list filters); the scope applies besides. */
  where?: CustomerCondition;
  /** How the audit log names who asked; default: the system via `cli`. */
  audited?: Pick<AuditEntry, 'actorKind' | 'via'>;
}

/**
 * Hands every customer the viewer may see to `write`, a batch at a time in id order (keyset pages, so a million
 * customers never sit in memory together), masked as the viewer sees them in chat. Unmasked reads are audited per
 * batch before the batch is handed out, and the export as a whole once at the end, with counts only.
 */
export async function exportCustomers(
  db: Kysely<Database>,
  o: ExportOptions,
  write: (batch: ExportedCustomer[]) => Promise<void>,
): Promise<number> {
  const scope = o.viewer ? customerScope(db, o.viewer) : null;
  const size = o.batchSize ?? 1000;
  let after = 0;
  let total = 0;
  for (;;) {
    let q = db
      .selectFrom('customers')
      .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
      .select([...LISTED_CUSTOMER_COLUMNS, 'customers.source', 'customers.first_contact_at'])
      .where('customers.merged_into_id', 'is', null)
      .where('customers.id', '>', after)
      .orderBy('customers.id')
      .limit(size);
    if (scope) q = q.where(scope);
    if (o.where) q = q.where(o.where);
    const rows = await q.execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    const [tags, unionIds, owners] = await Promise.all([
      tagsOf(
        db,
        rows.map((r) => r.id),
      ),
      unionIdsOf(
        db,
        rows.map((r) => r.id),
      ),
      ownerRefs(db, [...new Set(rows.flatMap((r) => (r.owner_staff_id === null ? [] : [r.owner_staff_id])))]),
    ]);
    const batch = rows.map((r) => {
      const contact = visibleContact(o.unmask, r);
      return {
        id: r.id,
        name: r.display_name,
        company: r.company,
        phone: contact.phone,
        email: contact.email,
        stage: r.stage,
        owner: r.owner_staff_id === null ? null : (owners.get(r.owner_staff_id) ?? r.owner_name),
        ownerName: r.owner_name,
        tags: tags.get(r.id) ?? [],
        unionId: unionIds.get(r.id) ?? null,
        source: r.source,
        firstContactAt: r.first_contact_at,
        lastContactAt: r.last_contact_at,
        unmasked: contact.unmasked,
      };
    });
    const unmasked = batch.filter((c) => c.unmasked).map((c) => c.id);
    if (unmasked.length > 0) {
      await audit(db, o.now, {
        actorKind: o.audited?.actorKind ?? 'system',
        actorStaffId: o.actorStaffId,
        action: 'customer.unmasked_read',
        subjectKind: 'customer',
        subjectId: unmasked.join(','),
        detail: { request: 'export' },
        via: o.audited?.via ?? 'cli',
      });
    }
    await write(batch.map(({ unmasked: _, ...c }) => c));
    total += batch.length;
  }
  await audit(db, o.now, {
    actorKind: o.audited?.actorKind ?? 'system',
    actorStaffId: o.actorStaffId,
    action: 'customers.exported',
    subjectKind: 'export',
    detail: { customers: total, masked: !o.unmask, scoped: o.viewer !== undefined },
    via: o.audited?.via ?? 'cli',
  });
  return total;
}

async function tagsOf(db: Kysely<Database>, ids: number[]): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('customer_tags')
    .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
    .select(['customer_tags.customer_id', 'tags.name'])
    .where('customer_tags.customer_id', 'in', ids)
    .orderBy('tags.name')
    .execute();
  const out = new Map<number, string[]>();
  for (const r of rows) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), r.name]);
  return out;
}

async function unionIdsOf(db: Kysely<Database>, ids: number[]): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('identities')
    .select(['customer_id', 'union_id'])
    .where('customer_id', 'in', ids)
    .where('union_id', 'is not', null)
    .orderBy('id')
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) if (r.union_id && !out.has(r.customer_id)) out.set(r.customer_id, r.union_id);
  return out;
}

/** Each owner's first platform account as `platform:userId`: unambiguous where names repeat. */
async function ownerRefs(db: Kysely<Database>, staffIds: number[]): Promise<Map<number, string>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('staff_identities')
    .select(['staff_id', 'platform', 'external_id'])
    .where('staff_id', 'in', staffIds)
    .orderBy('id')
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) if (!out.has(r.staff_id)) out.set(r.staff_id, `${r.platform}:${r.external_id}`);
  return out;
}
