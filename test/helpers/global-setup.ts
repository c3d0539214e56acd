/**
 * With DATABASE_URL set, the suite runs against a real PostgreSQL: a template database is migrated once here,
 * and every test file gets its own database cloned from it (see test/helpers/context.ts). Without it, PGlite.
 */
import postgres from 'postgres';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';

export const TEMPLATE_DB = 'ikd_test_template';

export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const template = createPostgresDatabase(withDatabase(url, TEMPLATE_DB), { max: 1 });
  try {
    await applyMigrations(template);
  } finally {
    await template.close();
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
