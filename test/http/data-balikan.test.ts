/**
 * Data balikan (issue #11 point 5): PUT/DELETE /v1/partner/residents/{nik}/data-balikan/{kind} by a granted institution
 * about a holder who presented a QR to it, GET /v1/me/data-balikan, data_written in the access history, the grants
 * (admin route, verifier:create) and the demo institutions.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KTP_ELEMENTS } from '../../src/crypto/token-codec.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { accessLog, dataBalikan, verifiers } from '../../src/db/schema/index.js';
import { prepareDevelopmentData, type DevCredentials } from '../../src/dev/setup.js';
import { createVerifier } from '../../src/domain/verifiers/verifiers.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { seedResident } from '../helpers/enrolment.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import { asResident, createActiveResident, issueQr, postVerify, verifierAuth, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

interface Institution {
  id: string;
  name: string;
  apiKey: string;
}

let institutionCount = 0;
async function institution(kinds: string[], name = `Instansi Uji ${++institutionCount}`): Promise<Institution> {
  const created = await createVerifier(ctx.deps, { name, allowedElements: KTP_ELEMENTS, dataBalikanKinds: kinds, actor: { actorType: 'system', actorId: 'test' } });
  return { ...created, name };
}

/** The holder shows a KTP QR at the institution's counter: the `verified` row that lets it write back. */
async function presentTo(holder: ActiveResident, to: Institution): Promise<void> {
  const res = await postVerify(ctx, to.apiKey, { token: (await issueQr(ctx, holder, { elements: ['nik', 'name'] })).token });
  expect(res.status).toBe(200);
}

const path = (nik: string, kind: string) => `/v1/partner/residents/${nik}/data-balikan/${kind}`;
const put = (who: Institution | string, nik: string, kind: string, body: unknown, headers: Record<string, string> = {}) =>
  ctx.app.request(path(nik, kind), jsonRequest('PUT', body, { ...verifierAuth(typeof who === 'string' ? who : who.apiKey), ...headers }));
const del = (who: Institution, nik: string, kind: string, headers: Record<string, string> = {}) =>
  ctx.app.request(path(nik, kind), { method: 'DELETE', headers: { ...verifierAuth(who.apiKey), ...headers } });

interface Item {
  source: { id: string; name: string };
  kind: string;
  fields: Record<string, string>;
  updatedAt: string;
}
const holderData = async (holder: ActiveResident): Promise<Item[]> => {
  const res = await asResident(ctx, holder, 'GET', '/v1/me/data-balikan');
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
};
interface HistoryItem {
  verifier: { id: string; name: string };
  outcome: string;
  elements: string[];
  data?: { kind: string; action: string };
}
const history = async (holder: ActiveResident): Promise<HistoryItem[]> => {
  const res = await asResident(ctx, holder, 'GET', '/v1/me/access-history');
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: HistoryItem[] }).items;
};
const problem = async (res: Response) => (await res.json()) as { code: string; status: number; errors?: { path: string }[] };

const JKN = { fields: { 'Nomor Kartu JKN': '0001234567890', 'Kelas Rawat': 'Kelas 2', 'Faskes Tingkat I': 'Puskesmas Pangkajene' } };

describe('PUT and DELETE /v1/partner/residents/{nik}/data-balikan/{kind}: happy path', () => {
  it('writes (200), replaces idempotently, deletes (204); the holder sees it in order; every change is data_written in the history', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan'], 'BPJS Kesehatan Cabang Pangkep');
    await presentTo(holder, bpjs);

    const first = await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ kind: 'bpjs_kesehatan', updatedAt: ctx.clock.now().toISOString() });

    let items = await holderData(holder);
    expect(items).toEqual([{ source: { id: bpjs.id, name: bpjs.name }, kind: 'bpjs_kesehatan', fields: JKN.fields, updatedAt: ctx.clock.now().toISOString() }]);
    expect(Object.keys(items[0]!.fields)).toEqual(['Nomor Kartu JKN', 'Kelas Rawat', 'Faskes Tingkat I']); // the order sent

    ctx.clock.advance(60_000);
    const replaced = { fields: { 'Nomor Kartu JKN': '0001234567890', 'Kelas Rawat': 'Kelas 1' } };
    const again = await put(bpjs, holder.nik, 'bpjs_kesehatan', replaced);
    expect(again.status).toBe(200);
    const sameAgain = await put(bpjs, holder.nik, 'bpjs_kesehatan', replaced);
    expect(sameAgain.status).toBe(200);
    items = await holderData(holder);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ fields: replaced.fields, updatedAt: ctx.clock.now().toISOString() });

    ctx.clock.advance(60_000);
    const removed = await del(bpjs, holder.nik, 'bpjs_kesehatan');
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    expect(await holderData(holder)).toEqual([]);
    // Deleting what is not there: still 204, and nothing new in the holder's history.
    expect((await del(bpjs, holder.nik, 'bpjs_kesehatan')).status).toBe(204);

    const trail = await history(holder);
    expect(trail.map((i) => [i.outcome, i.verifier.name, i.data])).toEqual([
      ['data_written', bpjs.name, { kind: 'bpjs_kesehatan', action: 'deleted' }],
      ['data_written', bpjs.name, { kind: 'bpjs_kesehatan', action: 'written' }],
      ['data_written', bpjs.name, { kind: 'bpjs_kesehatan', action: 'written' }],
      ['data_written', bpjs.name, { kind: 'bpjs_kesehatan', action: 'written' }],
      ['verified', bpjs.name, undefined],
    ]);
    expect(trail[0]!.elements).toEqual([]);
  });

  it('a holder who blocked the institution refuses its writes (403 holder_refused, nothing written); its DELETE still removes; unblocking lets it write again; the export carries the records', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan'], 'BPJS Kesehatan Blokir');
    await presentTo(holder, bpjs);
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);

    const block = await asResident(ctx, holder, 'PUT', `/v1/me/data-users/${bpjs.id}`, { blocked: true });
    expect(block.status).toBe(200);
    const refused = await put(bpjs, holder.nik, 'bpjs_kesehatan', { fields: { 'Kelas Rawat': 'Kelas 3' } });
    expect(refused.status).toBe(403);
    expect((await problem(refused)).code).toBe('holder_refused');
    expect((await holderData(holder))[0]?.fields).toEqual(JKN.fields); // unchanged

    // Not presented elsewhere: still the one 404, blocking says nothing about NIKs never shown.
    const stranger = await createActiveResident(ctx);
    expect((await put(bpjs, stranger.nik, 'bpjs_kesehatan', JKN)).status).toBe(404);

    const exported = await asResident(ctx, holder, 'GET', '/v1/me/export');
    expect(exported.status).toBe(200);
    const data = (await exported.json()) as { dataBalikan: Item[] };
    expect(data.dataBalikan).toEqual([expect.objectContaining({ source: { id: bpjs.id, name: bpjs.name }, kind: 'bpjs_kesehatan', fields: JKN.fields })]);

    expect((await del(bpjs, holder.nik, 'bpjs_kesehatan')).status).toBe(204);
    expect(await holderData(holder)).toEqual([]);

    expect((await asResident(ctx, holder, 'PUT', `/v1/me/data-users/${bpjs.id}`, { blocked: false })).status).toBe(200);
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);
  });

  it('one institution may hold several kinds; each is its own record', async () => {
    const holder = await createActiveResident(ctx);
    const both = await institution(['bpjs_kesehatan', 'bpjs_ketenagakerjaan']);
    await presentTo(holder, both);
    expect((await put(both, holder.nik, 'bpjs_ketenagakerjaan', { fields: { 'Nomor KPJ': '12345678901' } })).status).toBe(200);
    expect((await put(both, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);
    expect((await holderData(holder)).map((i) => i.kind)).toEqual(['bpjs_kesehatan', 'bpjs_ketenagakerjaan']);
  });
});

describe('data balikan: errors', () => {
  it('a kind not granted is 403 kind_not_allowed, for PUT and DELETE, and nothing is written', async () => {
    const holder = await createActiveResident(ctx);
    const pajak = await institution(['npwp']);
    const none = await institution([]);
    await presentTo(holder, pajak);
    await presentTo(holder, none);
    for (const [who, kind] of [[pajak, 'bpjs_kesehatan'], [none, 'npwp']] as const) {
      const res = await put(who, holder.nik, kind, JKN);
      expect(res.status).toBe(403);
      expect((await problem(res)).code).toBe('kind_not_allowed');
      const gone = await del(who, holder.nik, kind);
      expect(gone.status).toBe(403);
      expect((await problem(gone)).code).toBe('kind_not_allowed');
    }
    expect(await holderData(holder)).toEqual([]);
    expect((await history(holder)).filter((i) => i.outcome === 'data_written')).toEqual([]);
  });

  it('an unknown NIK and a holder who never presented a QR here get the same 404 body, byte for byte', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    const elsewhere = await institution(['bpjs_kesehatan']);
    await presentTo(holder, elsewhere); // presented, but to another institution
    const noAccount = await seedResident(ctx); // in the registry, no IKD
    const sameRequest = { 'X-Request-Id': 'req-data-balikan-404', 'Accept-Language': 'id' };

    const bodies: string[] = [];
    for (const nik of [holder.nik, '7310049999999999', noAccount.nik]) {
      const res = await put(bpjs, nik, 'bpjs_kesehatan', JKN, sameRequest);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      bodies.push(await res.text());
      const gone = await del(bpjs, nik, 'bpjs_kesehatan', sameRequest);
      expect(gone.status).toBe(404);
      bodies.push(await gone.text());
    }
    expect(JSON.parse(bodies[0]!)).toMatchObject({ status: 404, code: 'resident_not_found' });
    expect(new Set(bodies).size).toBe(1);
    expect(await holderData(holder)).toEqual([]);
  });

  it('a refused scan is no presentation: only a verified redemption lets the institution write', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    const late = await issueQr(ctx, holder);
    ctx.clock.advance(95_000);
    expect((await postVerify(ctx, bpjs.apiKey, { token: late.token })).status).toBe(410);
    expect((await postVerify(ctx, bpjs.apiKey, { token: 'not a token' })).status).toBe(400);
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(404);
    await presentTo(holder, bpjs);
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);
  });

  it('a deleted account is not found, and its data balikan went with it', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    await presentTo(holder, bpjs);
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);
    expect((await asResident(ctx, holder, 'DELETE', '/v1/me', { pin: holder.pin })).status).toBe(204);
    expect(await ctx.deps.db.select().from(dataBalikan).where(eq(dataBalikan.nik, holder.nik))).toEqual([]);
    const res = await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN);
    expect(res.status).toBe(404);
    expect((await problem(res)).code).toBe('resident_not_found');
  });

  it('refuses bad bodies and paths with 4xx and a code, before anything is written', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    await presentTo(holder, bpjs);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`Label ${i}`, 'x']));
    const cases: [unknown, string][] = [
      [{}, 'fields'],
      [{ fields: {} }, 'fields'],
      [{ fields: many }, 'fields'],
      [{ fields: { ['L'.repeat(61)]: 'x' } }, 'fields'],
      [{ fields: { Kelas: 'x'.repeat(201) } }, 'fields.Kelas'],
      [{ fields: { Kelas: 2 } }, 'fields.Kelas'],
      [{ fields: { Kelas: '' } }, 'fields.Kelas'],
      [{ fields: { Kelas: 'satu\ndua' } }, 'fields.Kelas'],
      [{ fields: { '  ': 'x' } }, 'fields'],
      [{ fields: ['Kelas', '1'] }, 'fields'],
      [{ fields: { Kelas: '1' }, extra: true }, ''],
      ['{"fields":{"__proto__":"x","Kelas":"1"}}', 'fields'],
      ['{"fields":', ''],
    ];
    for (const [body, errorPath] of cases) {
      const res = await put(bpjs, holder.nik, 'bpjs_kesehatan', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const p = await problem(res);
      expect(p.code).toBe('invalid_request');
      if (errorPath) expect(p.errors?.map((e) => e.path).some((e) => e.startsWith(errorPath)), JSON.stringify([body, p.errors])).toBe(true);
    }
    // 20 fields at the limits are fine.
    const full = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${String(i).padStart(2, '0')}${'L'.repeat(58)}`, 'v'.repeat(200)]));
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', { fields: full })).status).toBe(200);
    await del(bpjs, holder.nik, 'bpjs_kesehatan');

    const huge = await put(bpjs, holder.nik, 'bpjs_kesehatan', { fields: { Kelas: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect((await problem(huge)).code).toBe('payload_too_large');

    for (const [nik, kind] of [['73100412078590', 'bpjs_kesehatan'], ['731004120785900x', 'bpjs_kesehatan'], [holder.nik, 'BPJS-Kesehatan'], [holder.nik, 'a'.repeat(41)]]) {
      const res = await put(bpjs, nik!, kind!, JKN);
      expect(res.status).toBe(400);
      expect((await problem(res)).code).toBe('invalid_request');
    }
    expect(await holderData(holder)).toEqual([]);
  });
});

describe('data balikan: security', () => {
  it('no key, an unknown key and a revoked institution’s key are 401 verifier_unauthorized; a resident token is no key', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    await presentTo(holder, bpjs);
    const noKey = await ctx.app.request(path(holder.nik, 'bpjs_kesehatan'), jsonRequest('PUT', JKN));
    expect(noKey.status).toBe(401);
    expect((await problem(noKey)).code).toBe('verifier_unauthorized');
    for (const key of ['ikdv_' + 'A'.repeat(43), holder.accessToken]) {
      const res = await put(key, holder.nik, 'bpjs_kesehatan', JKN);
      expect(res.status).toBe(401);
      expect((await problem(res)).code).toBe('verifier_unauthorized');
    }
    await ctx.deps.db.update(verifiers).set({ status: 'revoked' }).where(eq(verifiers.id, bpjs.id));
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(401);
    expect((await del(bpjs, holder.nik, 'bpjs_kesehatan')).status).toBe(401);
    expect(await holderData(holder)).toEqual([]);
  });

  it('another institution, even with the same kind and a presentation, cannot read, replace or delete the first one’s record', async () => {
    const holder = await createActiveResident(ctx);
    const a = await institution(['bpjs_kesehatan'], 'BPJS Kesehatan Pangkep');
    const b = await institution(['bpjs_kesehatan'], 'BPJS Kesehatan Parepare');
    await presentTo(holder, a);
    await presentTo(holder, b);
    expect((await put(a, holder.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);

    expect((await del(b, holder.nik, 'bpjs_kesehatan')).status).toBe(204);
    expect((await put(b, holder.nik, 'bpjs_kesehatan', { fields: { 'Kelas Rawat': 'Kelas 3' } })).status).toBe(200);
    const items = await holderData(holder);
    expect(items.map((i) => [i.source.name, i.fields])).toEqual([
      ['BPJS Kesehatan Pangkep', JKN.fields],
      ['BPJS Kesehatan Parepare', { 'Kelas Rawat': 'Kelas 3' }],
    ]);
    // Institutions write; there is no read route for them.
    const read = await ctx.app.request(path(holder.nik, 'bpjs_kesehatan'), { headers: verifierAuth(b.apiKey) });
    expect(read.status).toBe(405);
    expect((await problem(read)).code).toBe('method_not_allowed');
  });

  it('a holder sees only their own data balikan; without a session 401', async () => {
    const one = await createActiveResident(ctx);
    const two = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    await presentTo(one, bpjs);
    await presentTo(two, bpjs);
    expect((await put(bpjs, one.nik, 'bpjs_kesehatan', JKN)).status).toBe(200);
    expect(await holderData(two)).toEqual([]);
    expect((await history(two)).filter((i) => i.outcome === 'data_written')).toEqual([]);
    expect(await holderData(one)).toHaveLength(1);
    const anonymous = await ctx.app.request('/v1/me/data-balikan');
    expect(anonymous.status).toBe(401);
    expect((await problem(anonymous)).code).toBe('unauthorized');
  });

  it('the record and its history row are written together: the history row names the account and the institution', async () => {
    const holder = await createActiveResident(ctx);
    const pajak = await institution(['npwp'], 'Direktorat Jenderal Pajak Uji');
    await presentTo(holder, pajak);
    expect((await put(pajak, holder.nik, 'npwp', { fields: { NPWP: holder.nik } })).status).toBe(200);
    const rows = await ctx.deps.db
      .select()
      .from(accessLog)
      .where(and(eq(accessLog.accountId, holder.accountId), eq(accessLog.outcome, 'data_written')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ verifierId: pajak.id, dataKind: 'npwp', dataAction: 'written', tokenId: null, holderDistrict: holder.nik.slice(0, 6) });
  });
});

describe('granting kinds', () => {
  it('POST /v1/admin/verifiers takes dataBalikanKinds (snake_case only); GET /v1/verifier/me shows them', async () => {
    const admin = await createOperatorSession(ctx, 'admin');
    const create = (body: unknown) => ctx.app.request('/v1/admin/verifiers', jsonRequest('POST', body, operatorAuth(admin.token)));
    const bad = await create({ name: 'Samsat', allowedElements: ['nik'], dataBalikanKinds: ['Pajak Kendaraan'] });
    expect(bad.status).toBe(400);
    expect((await problem(bad)).code).toBe('invalid_request');

    const res = await create({ name: 'Samsat Pangkep', allowedElements: ['nik', 'name'], dataBalikanKinds: ['pkb', 'pkb'] });
    expect(res.status).toBe(201);
    const { id, apiKey } = (await res.json()) as { id: string; apiKey: string };
    const me = await ctx.app.request('/v1/verifier/me', { headers: verifierAuth(apiKey) });
    expect(await me.json()).toMatchObject({ id, dataBalikanKinds: ['pkb'] });

    const plain = await create({ name: 'Loket tanpa data balikan', allowedElements: ['nik'] });
    const plainKey = ((await plain.json()) as { apiKey: string }).apiKey;
    expect(await (await ctx.app.request('/v1/verifier/me', { headers: verifierAuth(plainKey) })).json()).toMatchObject({ dataBalikanKinds: [] });
  });

  it('npm run verifier:create --data-balikan-kinds grants kinds; a kind that is not snake_case fails', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ikd-balikan-cli-'));
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const env = { ...process.env, DATABASE_URL: '', IKD_DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
    const run = (args: string[]) =>
      promisify(execFile)(tsx, ['scripts/verifier-create.ts', '--name', 'BPJS Ketenagakerjaan Pangkep', '--elements', 'nik,name', ...args], { env, timeout: 60_000 }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
      );
    try {
      const bad = await run(['--data-balikan-kinds', 'bpjs_tk,BPJS TK']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--data-balikan-kinds');
      const ok = await run(['--data-balikan-kinds', 'bpjs_ketenagakerjaan']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('data balikan: bpjs_ketenagakerjaan');
      const database = await createPgliteDatabase(join(dataDir, 'pgdata'));
      try {
        const rows = await database.db.select().from(verifiers);
        expect(rows.map((r) => [r.name, r.dataBalikanKinds])).toEqual([['BPJS Ketenagakerjaan Pangkep', ['bpjs_ketenagakerjaan']]]);
      } finally {
        await database.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('demo institutions (development mode)', () => {
  it('seeds BPJS Kesehatan, BPJS Ketenagakerjaan and Ditjen Pajak with their kinds and records; a demo holder sees them and the institution can write after a scan', async () => {
    const devDir = await mkdtemp(join(tmpdir(), 'ikd-balikan-dev-'));
    const dev = await createTestContext({ config: { IKD_DATA_DIR: devDir, IKD_SEED_COUNT: '0' } });
    try {
      await prepareDevelopmentData(dev.deps);
      const creds = JSON.parse(await readFile(join(devDir, 'dev-credentials.json'), 'utf8')) as DevCredentials;
      expect(creds.institutions!.map((i) => [i.name, i.dataBalikanKinds])).toEqual([
        ['BPJS Kesehatan', ['bpjs_kesehatan']],
        ['BPJS Ketenagakerjaan', ['bpjs_ketenagakerjaan']],
        ['Direktorat Jenderal Pajak', ['npwp']],
      ]);
      const [demoVerifier] = await dev.deps.db.select().from(verifiers).where(eq(verifiers.name, creds.verifier!.name));
      expect(demoVerifier!.allowedDocuments).toEqual(expect.arrayContaining(['ktp', 'family_card', 'birth_certificate']));

      // The first eligible demo resident (MUHAMMAD ARIF, an adult WIRASWASTA) holds all three.
      const holder = await createActiveResident(dev);
      const res = await dev.app.request('/v1/me/data-balikan', { headers: { Authorization: `Bearer ${holder.accessToken}` } });
      const items = ((await res.json()) as { items: Item[] }).items;
      expect(items.map((i) => [i.source.name, i.kind])).toEqual([
        ['BPJS Kesehatan', 'bpjs_kesehatan'],
        ['BPJS Ketenagakerjaan', 'bpjs_ketenagakerjaan'],
        ['Direktorat Jenderal Pajak', 'npwp'],
      ]);
      expect(items[2]!.fields).toMatchObject({ NPWP: holder.nik });

      const bpjs = creds.institutions![0]!;
      const qr = await issueQr(dev, holder, { elements: ['nik', 'name'] });
      expect((await dev.app.request('/v1/verify', jsonRequest('POST', { token: qr.token }, verifierAuth(bpjs.apiKey!)))).status).toBe(200);
      const write = await dev.app.request(path(holder.nik, 'bpjs_kesehatan'), jsonRequest('PUT', { fields: { 'Kelas Rawat': 'Kelas 1' } }, verifierAuth(bpjs.apiKey!)));
      expect(write.status).toBe(200);
      expect(dev.logLines.join('\n')).not.toContain(bpjs.apiKey!);
    } finally {
      await dev.close();
      await rm(devDir, { recursive: true, force: true });
    }
  });
});

describe('/app: Data dari instansi', () => {
  it('the IKD menu has the screen (Indonesian first, English with ?lang=en) and its module is served', async () => {
    const id = await (await ctx.app.request('/app')).text();
    expect(id).toContain('data-tab="databalikan"');
    expect(id).toContain('id="tab-databalikan"');
    expect(id).toContain('Data dari instansi');
    expect(id).toContain('"balikan.empty"');
    const en = await (await ctx.app.request('/app?lang=en')).text();
    expect(en).toContain('Data from institutions');
    const asset = await ctx.app.request('/assets/app-data-balikan.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await asset.text()).toContain('/v1/me/data-balikan');
  });
});

describe('data balikan: contract surface', () => {
  it('/openapi.json documents the three routes with their error codes', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
    };
    const partner = doc.paths['/v1/partner/residents/{nik}/data-balikan/{kind}'];
    expect(partner?.put?.summary).toBeTruthy();
    expect(partner?.delete?.summary).toBeTruthy();
    expect(Object.keys(partner?.put?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '413']));
    expect(doc.paths['/v1/me/data-balikan']?.get?.summary).toBeTruthy();
  });

  it('SQL and HTML in labels and values are stored and returned as plain text', async () => {
    const holder = await createActiveResident(ctx);
    const bpjs = await institution(['bpjs_kesehatan']);
    await presentTo(holder, bpjs);
    const hostile = { "'; DROP TABLE data_balikan; --": '<script>alert(1)</script>', 'Kelas 🇮🇩': '{{7*7}}${7*7}' };
    expect((await put(bpjs, holder.nik, 'bpjs_kesehatan', { fields: hostile })).status).toBe(200);
    expect((await holderData(holder))[0]!.fields).toEqual(hostile);
  });
});
