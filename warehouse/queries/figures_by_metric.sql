-- Every value reported for each metric, subject and period, with who reported it: where do sources disagree?
SELECT f.metric, f.subject, f.period, f.kind, f.unit,
       f.raw, f.value, a.outlet, CAST(a.published_at AS DATE) AS published
FROM figures f JOIN articles a ON a.url = f.article_url
WHERE f.metric_known AND a.duplicate_of IS NULL
ORDER BY f.metric, f.subject, f.period, a.published_at;
