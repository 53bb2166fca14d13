import type { AnyDb } from './helpers.ts';

// Placeholder: filled in by the change that needs it (registered in index.ts so the order is fixed).
export async function up(_db: AnyDb): Promise<void> {}

export async function down(_db: AnyDb): Promise<void> {}
