-- Issue #11: civil-registry documents in the seeded registry, document QR tokens, verifiers' allowed documents.
ALTER TABLE "registry_residents" ADD COLUMN "education" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "father_name" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "mother_name" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "birth_certificate_number" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "birth_certificate_issued_on" date;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "marriage_certificate_number" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "marriage_date" date;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "divorce_certificate_number" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "divorce_date" date;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "death_certificate_number" text;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "death_date" date;
--> statement-breakpoint
ALTER TABLE "registry_residents" ADD COLUMN "kia_issued_on" date;
--> statement-breakpoint
ALTER TABLE "ktp_tokens" ADD COLUMN "document" text DEFAULT 'ktp' NOT NULL;
--> statement-breakpoint
ALTER TABLE "verifiers" ADD COLUMN "allowed_documents" text[] DEFAULT '{ktp}' NOT NULL;
--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "document" text;
