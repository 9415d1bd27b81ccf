-- The year of the last occurrence before now that a mention tells ("the first since 1997", "was last
-- decertified in 1997"): reports of the same action on the same target that name another year disagree.
DROP INDEX event_mentions_event;
ALTER TABLE event_mentions ADD COLUMN previous_year INTEGER;
CREATE INDEX event_mentions_event ON event_mentions (event_id);
