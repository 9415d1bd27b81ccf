-- Whether trying a failed URL again later may succeed (a timeout, a 5xx) or not (a 404, a refusal).
-- Transient failures are retried with a growing delay; the others stop after max_fetch_attempts.
-- stage 'pending' marks a page a pass started on and has not finished: a pass killed by a page
-- leaves it counted, so that page cannot stall every later pass.
ALTER TABLE failures ADD COLUMN transient BOOLEAN NOT NULL DEFAULT false;
