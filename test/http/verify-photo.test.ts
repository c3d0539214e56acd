/** POST /v1/verify with the photo on Node: a JPEG from sharp, downsized once per holder, any verifier name burned in. */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharpCounterPhotos } from '../../src/domain/credential/photo-sharp.js';
import type { PopulationRegistry } from '../../src/registry/port.js';
import { createSeededRegistry } from '../../src/registry/seeded.js';
import { createTestContext, createTestDatabase, type TestContext } from '../helpers/context.js';
import { createActiveResident, createTestVerifier, issueQr, postVerify, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
let resident: ActiveResident;
const photos = createSharpCounterPhotos();
/** The real seeded registry, counting how often the photo is read from it. */
let photoReads = 0;
beforeAll(async () => {
  const database = await createTestDatabase();
  const seeded = createSeededRegistry(database.db);
  const registry: PopulationRegistry = {
    ...seeded,
    residentPhoto: (nik) => {
      photoReads++;
      return seeded.residentPhoto(nik);
    },
  };
  ctx = await createTestContext({ database, deps: { photos, registry } });
  resident = await createActiveResident(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

async function verifyPhoto(verifierName: string) {
  const counter = await createTestVerifier(ctx, { name: verifierName, allowedElements: ['nik', 'name', 'photo'] });
  const { token } = await issueQr(ctx, resident, { elements: ['nik', 'name', 'photo'] });
  const res = await postVerify(ctx, counter.apiKey, { token });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { resident: { nik: string }; photo?: string };
  expect(body.resident.nik).toBe(resident.nik);
  expect(body.photo?.startsWith('data:image/jpeg;base64,')).toBe(true);
  return sharp(Buffer.from(body.photo!.slice('data:image/jpeg;base64,'.length), 'base64')).metadata();
}

describe('verify with photo (sharp)', () => {
  it('returns a JPEG 120 px wide (the 120×160 KTP-el photo with its caption below), and the second verification of the holder hits the cache', async () => {
    const readsBefore = photoReads;
    const first = await verifyPhoto('RSUD Batara Siang');
    // The 120×160 photo and the caption below it: two 16-px lines of name and the time.
    expect([first.format, first.width, first.height]).toEqual(['jpeg', 120, 160 + 2 * 16]);
    expect(photos.stats()).toMatchObject({ hits: 0, resizes: 1, cachedHolders: 1 });
    expect(photoReads - readsBefore).toBe(1);

    ctx.clock.advance(3_000);
    const second = await verifyPhoto('Bank Sulselbar Pangkajene'); // another counter: the downsized photo is shared
    expect([second.format, second.width]).toEqual(['jpeg', 120]);
    expect(photos.stats()).toMatchObject({ hits: 1, resizes: 1, cachedHolders: 1 });
    expect(photoReads - readsBefore).toBe(1);
  });

  it('burns in a verifier name with non-Latin characters and XML specials without error', async () => {
    const meta = await verifyPhoto('Klinik <Sehat> & "Ümi" — Łódź 東京 ع');
    expect([meta.format, meta.width]).toEqual(['jpeg', 120]);
    expect([176, 192, 208]).toContain(meta.height); // the photo, then one to two lines of name and the time
  });
});
