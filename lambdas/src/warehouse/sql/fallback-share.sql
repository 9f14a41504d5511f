-- Share of served lists that a fallback made instead of the policy (no model yet, or too little history), by UTC
-- day the list was made, with the lists of each fallback.
SELECT
  dt AS list_day,
  COUNT(*) AS lists,
  CAST(SUM(CASE WHEN strategy <> 'policy' THEN 1 ELSE 0 END) AS BIGINT) AS fallback_lists,
  CAST(SUM(CASE WHEN strategy = 'similar' THEN 1 ELSE 0 END) AS BIGINT) AS similar_lists,
  CAST(SUM(CASE WHEN strategy = 'popular' THEN 1 ELSE 0 END) AS BIGINT) AS popular_lists,
  CAST(SUM(CASE WHEN strategy <> 'policy' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS fallback_share
FROM (
  SELECT DISTINCT recommendation_id, strategy, dt
  FROM recommendations_served
) AS lists
GROUP BY dt
ORDER BY list_day
