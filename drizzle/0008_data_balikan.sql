-- Issue #11 point 5: data balikan (what user institutions write back about a holder) and the kinds a verifier may write.
ALTER TABLE "verifiers" ADD COLUMN "data_balikan_kinds" text[] DEFAULT '{}' NOT NULL;
--> statement-breakpoint
CREATE TABLE "data_balikan" (
	"nik" text NOT NULL,
	"verifier_id" text NOT NULL,
	"kind" text NOT NULL,
	"fields" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "data_balikan_pk" PRIMARY KEY ("nik", "verifier_id", "kind")
);
--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "data_kind" text;
--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "data_action" text;
