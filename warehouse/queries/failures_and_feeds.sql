-- What could not be read, and the health of each feed.
SELECT 'failure' AS what, url, stage AS detail, reason, attempts, last_at FROM failures
UNION ALL
SELECT 'feed', feed_url, coalesce(notified_state, 'healthy'), last_error, consecutive_errors, last_polled_at
FROM feed_status
ORDER BY last_at DESC;
