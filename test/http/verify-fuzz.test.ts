/** Hostile input to POST /v1/verify: random strings, bytes, base45 of bytes, near-tokens, any JSON. Never a 5xx. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE45_ALPHABET, base45Decode, base45Encode } from '../../src/crypto/base45.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createActiveResident, createTestVerifier, issueQr, postVerify, type TestVerifier } from '../helpers/resident.js';

let ctx: TestContext;
let counter: TestVerifier;
let genuine: Uint8Array;
beforeAll(async () => {
  ctx = await createTestContext();
  counter = await createTestVerifier(ctx);
  const resident = await createActiveResident(ctx);
  genuine = base45Decode((await issueQr(ctx, resident)).token)!;
});
afterAll(async () => {
  await ctx?.close();
});

const base45Chars = fc.string({ unit: fc.constantFrom(...BASE45_ALPHABET), minLength: 150, maxLength: 200 });
/** A real token with a few bytes changed: it passes every cheap check and must fail at the crypto. */
const nearToken = fc
  .array(fc.tuple(fc.nat({ max: 114 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
  .map((flips) => {
    const bytes = genuine.slice();
    for (const [i, x] of flips) bytes[i] = bytes[i]! ^ x;
    return base45Encode(bytes);
  });

async function expectClientError(body: unknown) {
  const res = await postVerify(ctx, counter.apiKey, body);
  const problem = (await res.json()) as { code: string };
  expect(res.status, JSON.stringify(body).slice(0, 200)).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(['token_invalid', 'invalid_request']).toContain(problem.code);
}

describe('POST /v1/verify under random input', () => {
  it('answers any token string with a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 }), base45Chars, nearToken),
        async (token) => {
          await expectClientError({ token });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers random bytes, raw or base45-encoded, with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 200 }), async (bytes) => {
        await expectClientError({ token: base45Encode(bytes) });
        await expectClientError({ token: Buffer.from(bytes).toString('latin1') });
      }),
      { numRuns: 75 },
    );
  });

  it('answers any JSON body with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        await expectClientError(JSON.stringify(body));
      }),
      { numRuns: 75 },
    );
  });

  it('logged no error and still redeems the genuine token afterwards', async () => {
    expect(ctx.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    expect((await postVerify(ctx, counter.apiKey, { token: base45Encode(genuine) })).status).toBe(200);
  });
});
