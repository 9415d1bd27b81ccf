-- Each distinct event with how many reports mention it and which dates they give.
SELECT e.action, e.actor, e.target, e.event_date, count(*) AS reports,
       list(DISTINCT m.event_date ORDER BY m.event_date) AS dates_reported
FROM events e JOIN event_mentions m USING (event_id)
GROUP BY ALL
ORDER BY e.event_date NULLS LAST;
