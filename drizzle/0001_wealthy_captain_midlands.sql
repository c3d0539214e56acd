CREATE TABLE "registry_family_cards" (
	"kk" text PRIMARY KEY NOT NULL,
	"head_nik" text NOT NULL,
	"street" text NOT NULL,
	"rt" text NOT NULL,
	"rw" text NOT NULL,
	"village" text NOT NULL,
	"district" text NOT NULL,
	"regency" text NOT NULL,
	"province" text NOT NULL,
	"province_code" text NOT NULL,
	"regency_code" text NOT NULL,
	"district_code" text NOT NULL,
	"issued_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_residents" (
	"nik" text PRIMARY KEY NOT NULL,
	"kk" text NOT NULL,
	"name" text NOT NULL,
	"birth_place" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" text NOT NULL,
	"blood_type" text NOT NULL,
	"street" text NOT NULL,
	"rt" text NOT NULL,
	"rw" text NOT NULL,
	"village" text NOT NULL,
	"district" text NOT NULL,
	"regency" text NOT NULL,
	"province" text NOT NULL,
	"province_code" text NOT NULL,
	"regency_code" text NOT NULL,
	"district_code" text NOT NULL,
	"religion" text NOT NULL,
	"marital_status" text NOT NULL,
	"occupation" text NOT NULL,
	"citizenship" text NOT NULL,
	"ktp_el_recorded" boolean NOT NULL,
	"record_status" text NOT NULL,
	"deceased" boolean NOT NULL,
	"family_relationship" text NOT NULL,
	"family_order" smallint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "lang" text DEFAULT 'id' NOT NULL;--> statement-breakpoint
CREATE INDEX "registry_residents_kk_idx" ON "registry_residents" USING btree ("kk","family_order");