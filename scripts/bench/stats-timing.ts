/**
 * The statistics reads, timed over HTTP against the bench's server (the real routes, a real supervisor session):
 * GET /v1/admin/stats over the last 30 days (budgeted ≤ 100 ms on the national data), and the dashboard's
 * GET /v1/operator/stats for the month at the national, regency and district levels (reported). Sequential calls,
 * one at a time, nothing else running: the answer time a supervisor sees, not a throughput.
 */
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { totpCode } from '../../src/crypto/totp.js';
import { createOperator } from '../../src/domain/operators/operators.js';
import type { SeedingDeps } from './harness.js';

export interface StatsTiming {
  name: string;
  path: string;
  calls: number;
  status: number[];
  ms: { p50: number; max: number };
}

let created = 0;

/** A supervisor logged in through POST /v1/operator/login on `port` (the bench's per-client listener). */
export async function supervisorSession(deps: SeedingDeps, port: number): Promise<string> {
  created += 1;
  const username = `bench.supervisor.${created}`;
  const password = `bench-supervisor-password-${created}`;
  const op = await createOperator(
    { db: deps.db, clock: deps.clock, passwords: deps.pins, secrets: createSecretBox(deps.pepper) } as never,
    { username, name: 'Bench Supervisor', role: 'supervisor', officeCode: '73', password },
  );
  const res = await fetch(`http://127.0.0.1:${port}/v1/operator/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-bench-client': `10.250.0.${created}` },
    body: JSON.stringify({ username, password, otp: await totpCode(op.totpSecret, new Date()) }),
  });
  if (res.status !== 200) throw new Error(`bench supervisor login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The paths timed: a month of admin statistics, and the dashboard's month at three levels. */
export function statsPaths(now: Date, province: string, regency: string): { name: string; path: string }[] {
  const from = day(new Date(now.getTime() - 29 * 86_400_000));
  return [
    { name: 'admin_stats_month', path: `/v1/admin/stats?from=${from}&to=${day(now)}` },
    { name: 'dashboard_national_month', path: '/v1/operator/stats?period=month' },
    { name: 'dashboard_regency_month', path: `/v1/operator/stats?period=month&level=regency&parent=${province}` },
    { name: 'dashboard_district_month', path: `/v1/operator/stats?period=month&level=district&parent=${regency}` },
  ];
}

export async function timeStats(port: number, token: string, paths: { name: string; path: string }[], calls = 20): Promise<StatsTiming[]> {
  const out: StatsTiming[] = [];
  for (const { name, path } of paths) {
    const ms: number[] = [];
    const status: number[] = [];
    for (let i = 0; i < calls + 2; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      // The first two are warm-up (a new connection, the plan cache); they are not counted.
      if (i >= 2) {
        ms.push(performance.now() - t0);
        status.push(res.status);
      }
    }
    ms.sort((a, b) => a - b);
    out.push({
      name,
      path,
      calls,
      status: [...new Set(status)],
      ms: { p50: Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10, max: Math.round(ms[ms.length - 1]! * 10) / 10 },
    });
  }
  return out;
}
