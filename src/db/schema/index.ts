/** Every table of the service; drizzle-kit generates drizzle/ migrations from this module. */
export * from './meta.js';
export * from './enrolment.js';
export * from './accounts.js';
export * from './operators.js';
export * from './audit.js';
export * from './outbox.js';
export * from './ktp.js';
export * from './registry.js';
export * from './oidc.js';
export * from './services.js';
export * from './issued-documents.js';
export * from './verification-requests.js';
