/** Structured JSON-line logging that redacts secrets by field name before anything is written. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const levelRank: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Field names whose values never reach a log, at any depth. */
const SECRET_KEY =
  /pin|pass(word)?|secret|token|code|otp|api_?key|authorization|cookie|signature|pepper|private|selfie|photo|nonce|^key$|^t$/i;
/** Names that match SECRET_KEY but hold no secret: the API's error code and a PostgreSQL SQLSTATE. */
const SAFE_KEY = /^(errorCode|error_code|sqlState|sql_state)$/;

const isSecretKey = (key: string) => !SAFE_KEY.test(key) && SECRET_KEY.test(key);

/** What the log may say about a database error: the SQLSTATE and which statement, never its SQL or parameters. */
function describeDatabaseError(error: Error): Record<string, unknown> | undefined {
  let sqlState: string | undefined;
  let statement: string | undefined;
  let statementName: string | undefined;
  let isDatabase = false;
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const fields = e as { query?: unknown; params?: unknown; parameters?: unknown; code?: unknown; severity?: unknown; statementName?: unknown };
    if (typeof fields.query === 'string') {
      isDatabase = true;
      statement ??= /^\s*(\w+)/.exec(fields.query)?.[1]?.toLowerCase();
    }
    if (fields.params !== undefined || fields.parameters !== undefined || fields.severity !== undefined) isDatabase = true;
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) && fields.severity !== undefined) sqlState ??= fields.code;
    if (typeof fields.statementName === 'string') statementName ??= fields.statementName;
  }
  if (!isDatabase && !statementName) return undefined;
  // The driver's message may quote a value ('invalid input syntax for type uuid: "…"'), so it is left out too.
  return { name: 'DatabaseError', sqlState: sqlState ?? 'unknown', statement: statementName ?? statement ?? 'unknown' };
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (value instanceof Error) {
    const database = describeDatabaseError(value);
    if (database) return database;
    // Stack traces go to the log (never to clients); messages are kept, causes redacted.
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export type LogSink = (line: string) => void;

// Lines written to stdout in one event-loop turn go out as one write: a busy server logs a line per request, and a
// write per line cost ~5 % of a redemption's CPU (docs/performance.md). Flushed on exit, so nothing is lost but a
// SIGKILL's last turn.
let pendingLines: string[] = [];
let flushScheduled = false;
function flushStdout(): void {
  flushScheduled = false;
  if (pendingLines.length === 0) return;
  const chunk = pendingLines.join('\n') + '\n';
  pendingLines = [];
  process.stdout.write(chunk);
}
let exitHooked = false;
function stdoutSink(line: string): void {
  pendingLines.push(line);
  if (flushScheduled) return;
  flushScheduled = true;
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushStdout);
  }
  setImmediate(flushStdout);
}

export function createLogger(
  options: { level?: LogLevel | 'silent'; sink?: LogSink; base?: LogFields } = {},
): Logger {
  const min = levelRank[options.level ?? 'info'];
  const sink: LogSink = options.sink ?? stdoutSink;
  const base = options.base ?? {};
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levelRank[level] < min) return;
    const entry = { time: new Date().toISOString(), level, msg, ...(redact({ ...base, ...fields }) as LogFields) };
    sink(JSON.stringify(entry));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ level: options.level, sink, base: { ...base, ...fields } }),
  };
}

/** A logger that keeps every line in memory: tests search it for canary secrets. */
export function createMemoryLogger(level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: (line) => lines.push(line) });
  return Object.assign(logger, { lines });
}
