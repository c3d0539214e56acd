/** Builds the OpenAPI 3.1 document from the routes the app really has and the zod schemas they validate with. */
import type { Hono, MiddlewareHandler } from 'hono';
import { z, type ZodType } from 'zod';
import { errorCatalog, type ErrorCode } from '../errors.js';

export interface RouteDoc {
  summary?: string;
  description?: string;
  tags?: string[];
  /** Which credential the route needs. */
  security?: 'resident' | 'operator' | 'verifier' | 'none';
  /** Success responses: status → description and body schema. */
  responses?: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  /** Error codes the route may answer with (each documented as problem+json). */
  errors?: ErrorCode[];
  json?: ZodType;
  /** A body that is not JSON (e.g. a PDF): its media type and what it is. */
  rawBody?: { contentType: string; description: string };
  query?: ZodType;
  param?: ZodType;
  hidden?: boolean;
}

const DOC = Symbol.for('ikd.openapi');
type Documented = { [DOC]?: RouteDoc };

export function attachDoc<M extends MiddlewareHandler<any, any, any>>(middleware: M, doc: RouteDoc): M {
  const target = middleware as M & Documented;
  target[DOC] = { ...(target[DOC] ?? {}), ...doc };
  return middleware;
}

/** A no-op middleware that carries a route's documentation. Put it first in the handler list. */
export function describeRoute(doc: RouteDoc): MiddlewareHandler {
  return attachDoc(async function documented(_c, next) {
    await next();
  }, doc);
}

const toJsonSchema = (schema: ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'requestId'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(errorCatalog) },
    detail: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    attemptsRemaining: {
      type: 'integer',
      description: 'login_failed only, and only when the device signature was valid: wrong PINs left before the lock (0: now locked)',
    },
  },
};

const securitySchemes = {
  resident: { type: 'http', scheme: 'bearer', description: 'Access token from POST /v1/auth/login' },
  operator: { type: 'http', scheme: 'bearer', description: 'Operator session token from POST /v1/operator/login' },
  verifier: { type: 'http', scheme: 'bearer', description: 'Verifier API key issued by an admin' },
};

export interface DocumentedRoute {
  method: string;
  path: string;
  doc: RouteDoc;
}

/** Every endpoint (not middleware) the app serves, with the documentation merged from its handlers. */
export function documentedRoutes(app: Hono<any, any, any>): DocumentedRoute[] {
  const byKey = new Map<string, DocumentedRoute>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const key = `${route.method} ${route.path}`;
    const entry = byKey.get(key) ?? { method: route.method, path: route.path, doc: {} };
    const doc = (route.handler as Documented)[DOC];
    if (doc) entry.doc = { ...entry.doc, ...doc, responses: { ...entry.doc.responses, ...doc.responses } };
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/**
 * A Hono path as OpenAPI writes it: `:id` → `{id}`; a parameter whose pattern only adds a file extension
 * (`:documentId{.+\\.pdf}`) keeps the extension as literal text (`{documentId}.pdf`), which is what a client calls.
 */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, (_m, name: string, pattern?: string) => {
    const extension = pattern ? /^\{\.\+\\\.([A-Za-z0-9]+)\}$/.exec(pattern)?.[1] : undefined;
    return extension ? `{${name}}.${extension}` : `{${name}}`;
  });
}

export function generateOpenApi(app: Hono<any, any, any>, info: { title: string; version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, doc } of documentedRoutes(app)) {
    if (doc.hidden) continue;
    const oasPath = openApiPath(path);
    const parameters: unknown[] = [];
    for (const name of path.match(/:([A-Za-z0-9_]+)/g) ?? []) {
      parameters.push({ name: name.slice(1), in: 'path', required: true, schema: { type: 'string' } });
    }
    if (doc.query) {
      const schema = toJsonSchema(doc.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: prop });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(doc.responses ?? { 200: { description: 'OK' } })) {
      responses[status] = {
        description: r.description,
        ...(r.schema
          ? { content: { [r.contentType ?? 'application/json']: { schema: toJsonSchema(r.schema, 'output') } } }
          : {}),
      };
    }
    const errorCodes = new Set<ErrorCode>([...(doc.errors ?? []), ...(doc.json || doc.query ? (['invalid_request'] as const) : [])]);
    for (const code of errorCodes) {
      const status = String(errorCatalog[code].status);
      const existing = responses[status] as { description: string } | undefined;
      responses[status] = {
        description: existing ? `${existing.description}, ${code}` : code,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    paths[oasPath] ??= {};
    paths[oasPath][method.toLowerCase()] = {
      ...(doc.summary ? { summary: doc.summary } : {}),
      ...(doc.description ? { description: doc.description } : {}),
      ...(doc.tags ? { tags: doc.tags } : {}),
      ...(doc.security && doc.security !== 'none' ? { security: [{ [doc.security]: [] }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(doc.json
        ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(doc.json, 'input') } } } }
        : doc.rawBody
          ? { requestBody: { required: true, description: doc.rawBody.description, content: { [doc.rawBody.contentType]: { schema: { type: 'string', format: 'binary' } } } } }
          : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: { schemas: { Problem: problemSchema }, securitySchemes },
  };
}
