/** zod validation for routes: a failed parse is a 400 invalid_request with field errors; schemas feed /openapi.json. */
import { zValidator } from '@hono/zod-validator';
import { z, type ZodType } from 'zod';
import { AppError } from '../errors.js';
import { attachDoc } from './openapi.js';

type Target = 'json' | 'query' | 'param';

/** PostgreSQL text cannot hold NUL, and no field of this API has a use for it: refuse it before any schema. */
function findNul(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key].join('.');
    const found = findNul(child, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function validatorFor<T extends ZodType, K extends Target>(target: K, schema: T) {
  const refusingNul = z.any().superRefine((value, ctx) => {
    const path = findNul(value);
    if (path !== null) ctx.addIssue({ code: 'custom', message: 'must not contain NUL characters', path: path === '(body)' ? [] : path.split('.') });
  });
  const middleware = zValidator(target, refusingNul.pipe(schema), (result) => {
    if (!result.success) {
      throw new AppError('invalid_request', {
        errors: result.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.') || '(body)',
          message: issue.message,
        })),
      });
    }
  });
  return attachDoc(middleware, { [target]: schema });
}

/** Validates the JSON body. */
export const jsonBody = <T extends ZodType>(schema: T) => validatorFor('json', schema);
/** Validates the query string. */
export const queryParams = <T extends ZodType>(schema: T) => validatorFor('query', schema);
/** Validates path parameters. */
export const pathParams = <T extends ZodType>(schema: T) => validatorFor('param', schema);
