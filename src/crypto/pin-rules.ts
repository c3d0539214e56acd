/** The weak-PIN rules (pure, runtime-neutral: no hashing library here, so Workers can bundle it). */

export type WeakPinReason = 'format' | 'repeated' | 'sequential' | 'birth_date' | 'same_as_code';

/**
 * A PIN is 6 digits and not guessable from the holder's data: not one digit repeated (111111), not a
 * run (123456, 987654), not the birth date in the usual forms (DDMMYY, YYMMDD, MMDDYY), not the activation code.
 */
export function weakPinReason(pin: string, context: { birthDate?: string; activationCode?: string } = {}): WeakPinReason | null {
  if (!/^\d{6}$/.test(pin)) return 'format';
  if (/^(\d)\1{5}$/.test(pin)) return 'repeated';
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => d - digits[i]!);
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'sequential';
  // Two or three digits repeated as a pattern (121212, 123123) are just as guessable.
  if (/^(\d\d)\1\1$/.test(pin) || /^(\d{3})\1$/.test(pin)) return 'repeated';
  if (context.birthDate) {
    const [y, m, d] = context.birthDate.split('-');
    if (y && m && d) {
      const yy = y.slice(2);
      if ([`${d}${m}${yy}`, `${yy}${m}${d}`, `${m}${d}${yy}`, `${d}${m}${y.slice(0, 2)}`].includes(pin)) return 'birth_date';
    }
  }
  if (context.activationCode && pin === context.activationCode) return 'same_as_code';
  return null;
}
