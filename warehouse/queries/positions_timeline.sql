-- How each actor's stance on each topic was reported over time; changes the articles themselves report are flagged.
SELECT p.actor, p.topic, CAST(p.published_at AS DATE) AS published, p.stance, p.is_change, p.historical,
       a.outlet, p.evidence
FROM positions p JOIN articles a ON a.url = p.article_url
WHERE a.duplicate_of IS NULL
ORDER BY p.actor, p.topic, p.published_at;
