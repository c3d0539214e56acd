-- Issue #14, Masuk dengan IKD: an OpenID Connect provider. Clients (each with a verifiers row, so logins land in the
-- access log and data users like any institution), authorization requests (the QR, the decision, the code),
-- access tokens (stored hashed) and the jti of private_key_jwt assertions (single use).
CREATE TABLE "oidc_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"verifier_id" text NOT NULL,
	"secret_hash" text,
	"jwks_uri" text,
	"redirect_uris" text[] NOT NULL,
	"allowed_scopes" text[] NOT NULL,
	"pairwise_salt" text NOT NULL,
	"status" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_clients_verifier_idx" ON "oidc_clients" USING btree ("verifier_id");
--> statement-breakpoint
CREATE TABLE "oidc_authorizations" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"scopes" text[] NOT NULL,
	"state" text,
	"nonce" text,
	"code_challenge" text NOT NULL,
	"browser_hash" text NOT NULL,
	"status" text NOT NULL,
	"account_id" text,
	"decided_at" timestamp with time zone,
	"code_hash" text,
	"code_expires_at" timestamp with time zone,
	"code_used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_authorizations_code_idx" ON "oidc_authorizations" USING btree ("code_hash");
--> statement-breakpoint
CREATE INDEX "oidc_authorizations_account_idx" ON "oidc_authorizations" USING btree ("account_id");
--> statement-breakpoint
CREATE TABLE "oidc_access_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"authorization_id" text NOT NULL,
	"client_id" text NOT NULL,
	"account_id" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_access_tokens_hash_idx" ON "oidc_access_tokens" USING btree ("token_hash");
--> statement-breakpoint
CREATE INDEX "oidc_access_tokens_authorization_idx" ON "oidc_access_tokens" USING btree ("authorization_id");
--> statement-breakpoint
CREATE INDEX "oidc_access_tokens_account_idx" ON "oidc_access_tokens" USING btree ("account_id");
--> statement-breakpoint
CREATE TABLE "oidc_client_assertions" (
	"client_id" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_client_assertions_jti_idx" ON "oidc_client_assertions" USING btree ("client_id","jti");
