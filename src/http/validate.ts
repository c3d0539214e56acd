/** zod validation for routes: a failed parse is a 400 invalid_request with field errors; schemas feed /openapi.json. */
import { zValidator } from '@hono/zod-validator';
import type { ZodType } from 'zod';
import { AppError } from '../errors.js';
import { attachDoc } from './openapi.js';

type Target = 'json' | 'query' | 'param';

function validatorFor<T extends ZodType, K extends Target>(target: K, schema: T) {
  const middleware = zValidator(target, schema, (result) => {
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
