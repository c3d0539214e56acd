-- The registrant's page asks, while it waits, whether an operator opened a video call for its registration.
CREATE INDEX "video_calls_registration_idx" ON "video_calls" USING btree ("registration_id","expires_at");
