-- Click-through and conversion of recommendations by model version, UTC day of the impression and position
-- (0-based). A conversion is a borrow of the book within the attribution window of the impression.
SELECT
  model_version,
  dt AS impression_day,
  "position",
  COUNT(*) AS impressions,
  CAST(SUM(clicked) AS BIGINT) AS clicks,
  CAST(SUM(clicked) AS DOUBLE) / COUNT(*) AS ctr,
  CAST(SUM(borrowed) AS BIGINT) AS conversions,
  CAST(SUM(borrowed) AS DOUBLE) / COUNT(*) AS conversion_rate
FROM outcomes
GROUP BY model_version, dt, "position"
ORDER BY model_version, impression_day, "position"
