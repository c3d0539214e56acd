/**
 * With DATABASE_URL set, the suite runs against a real PostgreSQL: a template database is migrated once here,
 * and every test file gets its own database cloned from it (see test/helpers/context.ts). Without it, PGlite.
 */
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

// One template per run, so two runs against the same server cannot drop each other's template.
const TEMPLATE_DB = `ikd_test_template_${process.pid}`;

export default async function setup(project: TestProject) {
  project.provide('templateDb', TEMPLATE_DB);
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
  return async function teardown() {
    const dropper = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
