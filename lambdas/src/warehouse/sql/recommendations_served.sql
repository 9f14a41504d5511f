-- Fact `recommendations_served`: one row per book of every list the recommender served (once, however often the
-- list was archived), with the time it was made in UTC. Partition column last: `dt`, the UTC day it was made.
SELECT
  recommendation_id,
  reader_id,
  model_version,
  strategy,
  "position",
  book_id,
  generated_ts AS generated_at,
  CAST(CAST(generated_ts AS DATE) AS VARCHAR) AS dt
FROM (
  SELECT
    recommendation_id,
    reader_id,
    model_version,
    strategy,
    "position",
    book_id,
    CAST(from_iso8601_timestamp(generated_at) AT TIME ZONE 'UTC' AS TIMESTAMP) AS generated_ts,
    row_number() OVER (PARTITION BY recommendation_id, "position" ORDER BY generated_at) AS copy_number
  FROM raw_recommendations
  WHERE recommendation_id IS NOT NULL AND generated_at IS NOT NULL
) AS deduplicated
WHERE copy_number = 1
