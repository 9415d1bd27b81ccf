-- How completely each claim was read. Only claims read completely on both sides raise an alert;
-- the others are stored and queryable. `gaps` lists what could not be read (comma-separated).
-- DuckDB cannot alter a table that has an index: drop the index, alter, index again.
DROP INDEX event_mentions_event;
ALTER TABLE event_mentions ADD COLUMN complete BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE event_mentions ADD COLUMN gaps VARCHAR NOT NULL DEFAULT '';
ALTER TABLE event_mentions ADD COLUMN target VARCHAR;
CREATE INDEX event_mentions_event ON event_mentions (event_id);

DROP INDEX figures_key;
ALTER TABLE figures ADD COLUMN complete BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE figures ADD COLUMN gaps VARCHAR NOT NULL DEFAULT '';
CREATE INDEX figures_key ON figures (claim_key);

DROP INDEX positions_key;
ALTER TABLE positions ADD COLUMN complete BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE positions ADD COLUMN gaps VARCHAR NOT NULL DEFAULT '';
CREATE INDEX positions_key ON positions (claim_key);

-- Both claims as the monitor read them, and why they were judged to be about the same thing.
ALTER TABLE alerts ADD COLUMN explanation VARCHAR NOT NULL DEFAULT '';
