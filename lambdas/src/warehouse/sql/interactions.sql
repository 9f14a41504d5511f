-- Fact `interactions`: every reader event once (a record delivered twice, or an event sent twice, has one event id),
-- with its time in UTC. Partition column last: `dt`, the UTC day the event happened.
SELECT
  event_id,
  reader_id,
  event_type,
  book_id,
  rating,
  recommendation_id,
  "position",
  model_version,
  occurred_ts AS occurred_at,
  CAST(CAST(occurred_ts AS DATE) AS VARCHAR) AS dt
FROM (
  SELECT
    event_id,
    reader_id,
    event_type,
    book_id,
    rating,
    recommendation_id,
    "position",
    model_version,
    CAST(from_iso8601_timestamp(occurred_at) AT TIME ZONE 'UTC' AS TIMESTAMP) AS occurred_ts,
    row_number() OVER (PARTITION BY event_id ORDER BY occurred_at) AS copy_number
  FROM raw_events
  WHERE event_id IS NOT NULL AND occurred_at IS NOT NULL
) AS deduplicated
WHERE copy_number = 1
