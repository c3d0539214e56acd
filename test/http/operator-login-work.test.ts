/** No enumeration by time: an unknown username is checked against a dummy argon2 hash and a dummy TOTP secret. */
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { dummyPasswordHash } from '../../src/crypto/password.js';
import { createPinHasher } from '../../src/crypto/pin.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTestOperator, operatorLogin } from '../helpers/operator.js';

// Wrap (not replace) the real checks, to count the work each login does.
vi.mock('../../src/crypto/totp.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/crypto/totp.js')>();
  return { ...real, matchTotp: vi.fn(real.matchTotp) };
});

const totp = await import('../../src/crypto/totp.js');

// The real argon2id hasher, its verify wrapped in a spy.
const realHasher = createPinHasher('test-pepper-0123456789abcdef');
const passwords = { hash: realHasher.hash, verify: vi.fn(realHasher.verify) };

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ deps: { passwords } });
});
afterAll(async () => {
  await ctx.close();
});
beforeEach(() => {
  passwords.verify.mockClear();
  vi.mocked(totp.matchTotp).mockClear();
});

it('an unknown username costs one argon2 verification (against the dummy hash) and one TOTP check, like a known one', async () => {
  const op = await createTestOperator(ctx);
  expect((await operatorLogin(ctx, { ...op, password: 'wrong-password-1' })).status).toBe(401);
  expect(passwords.verify).toHaveBeenCalledTimes(1);
  expect(vi.mocked(totp.matchTotp)).toHaveBeenCalledTimes(1);

  passwords.verify.mockClear();
  vi.mocked(totp.matchTotp).mockClear();
  expect((await operatorLogin(ctx, { ...op, username: 'no.such.operator' })).status).toBe(401);
  expect(passwords.verify).toHaveBeenCalledTimes(1);
  const [hash] = passwords.verify.mock.calls[0]!;
  expect(hash).toBe(await dummyPasswordHash(passwords));
  expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(vi.mocked(totp.matchTotp)).toHaveBeenCalledTimes(1);
});

it('a wrong password still has its TOTP checked (the time does not tell which part was wrong)', async () => {
  const op = await createTestOperator(ctx);
  await operatorLogin(ctx, { ...op, password: 'wrong-password-2' });
  expect(passwords.verify).toHaveBeenCalledTimes(1);
  expect(vi.mocked(totp.matchTotp)).toHaveBeenCalledTimes(1);
});
