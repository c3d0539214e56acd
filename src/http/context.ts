/** The typed Hono environment: what every request can read from its context. */
import type { Deps } from '../deps.js';
import type { OperatorPrincipal } from '../domain/operators/operators.js';
import type { ResidentTokenCredential } from '../domain/credential/ktp-token.js';
import type { ResidentPrincipal } from '../domain/credential/login.js';
import type { VerifierCredential } from '../domain/credential/redemption.js';

export interface AppVariables {
  requestId: string;
  deps: Deps;
  /** Set by requireOperator (src/http/auth/operator.ts). */
  operator?: OperatorPrincipal;
  /** Set by requireResident (src/http/auth/resident.ts). */
  resident?: ResidentPrincipal;
  /** Set by requireResidentToken: the bearer's hash, authenticated inside QR issuance. */
  residentToken?: ResidentTokenCredential;
  /** Set by requireVerifierKey (src/http/auth/verifier.ts): the API key's hash, authenticated at redemption. */
  verifier?: VerifierCredential;
}

export interface AppEnv {
  Variables: AppVariables;
}
