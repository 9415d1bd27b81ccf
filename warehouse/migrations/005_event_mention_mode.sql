-- Whether a mention tells the action as announced ("said on Sunday it would stop all payments"): its date
-- is then the announcement's. Only mentions told the same way are compared on their dates: an action
-- announced on one day and carried out on another is one event reported truly twice.
DROP INDEX event_mentions_event;
ALTER TABLE event_mentions ADD COLUMN announced BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX event_mentions_event ON event_mentions (event_id);
