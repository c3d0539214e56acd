/** Parses the service configuration once, from process.env or Workers bindings, with one zod schema. */
import { z } from 'zod';
import { parseCidr, type CidrRange } from './http/ip.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * Which proxy headers say who the client is. `off`: the socket peer only; `hops`: that many proxies in front
 * (X-Forwarded-For / Forwarded read from the right); `cidrs`: proxies whose address is in one of these ranges;
 * `cloudflare`: CF-Connecting-IP (Workers, where Cloudflare sets it and drops a client's own).
 */
export type TrustProxy =
  | { kind: 'off' }
  | { kind: 'hops'; hops: number }
  | { kind: 'cidrs'; ranges: CidrRange[] }
  | { kind: 'cloudflare' };

const trustProxySetting = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((value, ctx): TrustProxy => {
      if (value === undefined || /^(off|false|0)$/i.test(value.trim())) return { kind: 'off' };
      if (/^\d+$/.test(value.trim())) {
        const hops = Number(value.trim());
        if (hops > 20) ctx.addIssue({ code: 'custom', message: 'a hop count must be at most 20' });
        return { kind: 'hops', hops };
      }
      const ranges = value.split(',').map((part) => ({ part: part.trim(), range: parseCidr(part) }));
      const bad = ranges.filter((r) => r.range === null).map((r) => r.part);
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `must be a hop count or a comma-separated CIDR list (not: ${bad.join(', ')})` });
        return z.NEVER;
      }
      return { kind: 'cidrs', ranges: ranges.map((r) => r.range!) };
    }),
);

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const keyRingJson = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON (a key ring, see docs/keys.md)' });
        return z.NEVER;
      }
    }),
);

export const configSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(8787)),
    HOST: optionalString,
    IKD_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    DATABASE_POOL_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(16)),
    // Every statement on every connection is cancelled after this long (PostgreSQL statement_timeout); 0 = none.
    DATABASE_STATEMENT_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(3_600_000).default(5_000)),
    PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional()),
    RESEND_API_KEY: optionalString,
    RESEND_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).default('https://api.resend.com')),
    MAIL_FROM: z.preprocess(emptyToUndefined, z.string().min(3).default('IKD Dukcapil <no-reply@ikd.example.id>')),
    IKD_KEYS: keyRingJson,
    IKD_PIN_PEPPER: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    VIDEO_CALL_BASE_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).default('https://meet.jit.si')),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
    IKD_SEED_COUNT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(1_000_000).default(200)),
    IKD_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(256).optional()),
    IKD_PHOTO_CACHE_MB: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(4096).default(64)),
    TRUST_PROXY: trustProxySetting,
    AUDIT_CHECKPOINT_EMAIL: z.preprocess(emptyToUndefined, z.email('must be one e-mail address').optional()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const required = ['DATABASE_URL', 'PUBLIC_BASE_URL', 'IKD_KEYS', 'IKD_PIN_PEPPER', 'RESEND_API_KEY'] as const;
    for (const name of required) {
      if (env[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production' });
      }
    }
  });

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  /** Development conveniences (dev mailbox, dev-credentials.json, generated keys) are on. */
  devMode: boolean;
  port: number;
  /** Address the Node server binds: HOST, else 127.0.0.1 in development mode (the dev mailbox), else 0.0.0.0. */
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  /** statement_timeout of every connection, ms (0 = none): no read can hold the hot paths hostage. */
  databaseStatementTimeoutMs: number;
  publicBaseUrl: string;
  mail: { from: string; resendApiKey?: string; resendBaseUrl: string };
  keysJson?: unknown;
  pinPepper?: string;
  videoCallBaseUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  seedCount: number;
  /** Node processes `npm start` runs (node:cluster); undefined = one per core. PGlite always runs one. */
  workers?: number;
  /** Whose X-Forwarded-For / Forwarded to believe for the client address (per-IP limits, login locks). */
  trustProxy: TrustProxy;
  /** Where the signed daily audit checkpoint is mailed; undefined: it is only stored (src/domain/audit/checkpoint.ts). */
  auditCheckpointEmail?: string;
  /** Memory for the downsized counter photos kept per holder (Node; per process). 0 = none kept. */
  photoCacheMb: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env or a Workers env object). Throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const devMode = e.NODE_ENV !== 'production' && e.RESEND_API_KEY === undefined;
  return {
    env: e.NODE_ENV,
    devMode,
    port: e.PORT,
    host: e.HOST ?? (devMode ? '127.0.0.1' : '0.0.0.0'),
    dataDir: e.IKD_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    mail: { from: e.MAIL_FROM, resendApiKey: e.RESEND_API_KEY, resendBaseUrl: e.RESEND_BASE_URL.replace(/\/+$/, '') },
    keysJson: e.IKD_KEYS,
    pinPepper: e.IKD_PIN_PEPPER,
    videoCallBaseUrl: e.VIDEO_CALL_BASE_URL.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    seedCount: e.IKD_SEED_COUNT,
    workers: e.IKD_WORKERS,
    trustProxy: e.TRUST_PROXY,
    auditCheckpointEmail: e.AUDIT_CHECKPOINT_EMAIL,
    photoCacheMb: e.IKD_PHOTO_CACHE_MB,
  };
}
