/**
 * A fake Resend (POST /emails) on node:http 127.0.0.1 for the fault tests. It delivers each Idempotency-Key once, as
 * Resend does: a repeated key answers the first message's id and delivers nothing. Modes make it fail on purpose.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * up: accepts. down: 503, nothing delivered. reset: drops the connection, nothing delivered.
 * lose_response: delivers, then drops the connection, so the sender cannot know and must retry.
 */
export type FakeResendMode = 'up' | 'down' | 'reset' | 'lose_response';

export interface Delivery {
  idempotencyKey: string;
  to: string[];
  subject: string;
  text: string;
}

export interface FakeResend {
  baseUrl: string;
  mode: FakeResendMode;
  /** Every POST /emails, delivered or not. */
  attempts: number;
  /** Messages delivered, once per Idempotency-Key. */
  deliveries: Delivery[];
  /** Deliveries to one address. */
  deliveredTo(address: string): Delivery[];
  close(): Promise<void>;
}

export async function startFakeResend(): Promise<FakeResend> {
  const byKey = new Map<string, string>();
  const fake: FakeResend = {
    baseUrl: '',
    mode: 'up',
    attempts: 0,
    deliveries: [],
    deliveredTo: (address) => fake.deliveries.filter((d) => d.to.includes(address)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/emails') {
      res.writeHead(404).end();
      return;
    }
    fake.attempts += 1;
    const mode = fake.mode;
    if (mode === 'down') {
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"statusCode":503,"name":"internal_server_error","message":"unavailable"}');
      return;
    }
    if (mode === 'reset') {
      req.socket.destroy();
      return;
    }
    const key = String(req.headers['idempotency-key'] ?? '');
    let id = byKey.get(key);
    if (!id) {
      id = `fake_${byKey.size + 1}`;
      byKey.set(key, id);
      const email = JSON.parse(body) as { to: string[]; subject: string; text: string };
      fake.deliveries.push({ idempotencyKey: key, to: email.to, subject: email.subject, text: email.text });
    }
    if (mode === 'lose_response') {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
