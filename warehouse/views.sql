-- Views for ad hoc questions; recreated after migrations on every open.

CREATE OR REPLACE VIEW alerts_readable AS
SELECT a.alert_id, a.kind, a.summary, a.confidence, a.created_at, a.notified_at,
       a.article_url, n.outlet AS new_outlet, n.published_at AS new_published,
       a.new_evidence,
       a.prior_url, p.outlet AS prior_outlet, p.published_at AS prior_published,
       a.prior_evidence
FROM alerts a
LEFT JOIN articles n ON n.url = a.article_url
LEFT JOIN articles p ON p.url = a.prior_url;

CREATE OR REPLACE VIEW original_articles AS
SELECT url, title, outlet, published_at, on_topic, topic_score
FROM articles WHERE duplicate_of IS NULL;
