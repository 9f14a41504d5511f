-- Reader retention: of the readers first seen on a UTC day (their cohort), how many were active again (any event)
-- on a day at least {{retention_days}} days after it.
WITH active_days AS (
  SELECT DISTINCT reader_id, CAST(occurred_at AS DATE) AS active_day
  FROM interactions
),
firsts AS (
  SELECT reader_id, MIN(active_day) AS first_day
  FROM active_days
  GROUP BY reader_id
),
returned AS (
  SELECT DISTINCT f.reader_id
  FROM firsts AS f
  JOIN active_days AS d
    ON d.reader_id = f.reader_id
    AND d.active_day >= f.first_day + INTERVAL '{{retention_days}}' DAY
)
SELECT
  CAST(f.first_day AS VARCHAR) AS cohort_day,
  COUNT(*) AS readers,
  COUNT(r.reader_id) AS retained,
  CAST(COUNT(r.reader_id) AS DOUBLE) / COUNT(*) AS retention
FROM firsts AS f
LEFT JOIN returned AS r ON r.reader_id = f.reader_id
GROUP BY f.first_day
ORDER BY cohort_day
