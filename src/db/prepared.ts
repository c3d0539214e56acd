/** Raw SQL as a named prepared statement: parsed and planned once per connection, for the hot paths' one round trip. */
import type { SQL } from 'drizzle-orm';
import type { Db } from './types.js';

// drizzle's query builder prepares only its own queries; a CTE with UPDATE … RETURNING plus INSERT is raw SQL, so
// this reaches the same (internal) session API that `.prepare(name)` uses. Placeholders: sql.placeholder('x').
interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): {
      execute(values?: Record<string, unknown>): Promise<unknown>;
    };
  };
}

type Statement<Row> = (values: Record<string, unknown>) => Promise<Row[]>;

const cache = new WeakMap<Db, Map<string, Statement<unknown>>>();

/** The statement `name` for this database, built once from `build()`; rows as objects on both drivers. */
export function preparedStatement<Row extends Record<string, unknown>>(db: Db, name: string, build: () => SQL): Statement<Row> {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map()));
  let statement = byName.get(name) as Statement<Row> | undefined;
  if (!statement) {
    const internals = db as unknown as DrizzleInternals;
    const prepared = internals.session.prepareQuery(internals.dialect.sqlToQuery(build()), undefined, name, false);
    statement = async (values) => {
      // postgres.js answers an array of rows, PGlite an object with rows.
      let result: Row[] | { rows?: Row[] };
      try {
        result = (await prepared.execute(values)) as Row[] | { rows?: Row[] };
      } catch (error) {
        // The log names the statement instead of printing its SQL and parameters (src/logger.ts).
        if (error && typeof error === 'object') Object.defineProperty(error, 'statementName', { value: name });
        throw error;
      }
      return Array.isArray(result) ? result : (result.rows ?? []);
    };
    byName.set(name, statement as Statement<unknown>);
  }
  return statement;
}
