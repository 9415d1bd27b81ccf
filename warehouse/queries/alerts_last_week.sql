-- Contradictions raised in the last seven days, newest first, with both sentences.
SELECT created_at, kind, summary, new_evidence, prior_evidence, confidence, notified_at IS NOT NULL AS delivered
FROM alerts
WHERE created_at >= now() - INTERVAL 7 DAY
ORDER BY created_at DESC;
