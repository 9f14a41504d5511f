-- Fact `interactions`: every reader event once (a record delivered twice, or an event sent twice, has one event id),
-- with its time in UTC, after the deletion log (`raw_deletions`): an event that happened up to a merge of its
-- anonymous reader id belongs to the account it merged into; one that happened up to a deletion of its reader id, or
-- of that account, is left out. Partition column last: `dt`, the UTC day the event happened.
WITH
-- deletion log: begin (the same text in interactions.sql and recommendations_served.sql)
requests AS (
  SELECT
    reader_id,
    reason,
    merged_into,
    CAST(from_iso8601_timestamp(requested_at) AT TIME ZONE 'UTC' AS TIMESTAMP) AS requested_ts
  FROM raw_deletions
  WHERE reader_id IS NOT NULL AND requested_at IS NOT NULL
),
-- Each merge of an anonymous id takes its rows from the previous merge of that id (excluded) to this one (included).
merges AS (
  SELECT
    reader_id,
    merged_into,
    lag(requested_ts) OVER (PARTITION BY reader_id ORDER BY requested_ts) AS merged_after,
    requested_ts AS merged_until
  FROM requests
  WHERE reason = 'merge' AND merged_into IS NOT NULL
),
-- A deletion removes the reader's rows up to its time (included); rows made after it are a new history.
deletions AS (
  SELECT reader_id, MAX(requested_ts) AS deleted_until
  FROM requests
  WHERE reason = 'delete'
  GROUP BY reader_id
),
-- deletion log: end
deduplicated AS (
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
),
attributed AS (
  SELECT
    e.event_id,
    e.reader_id AS logged_reader_id,
    COALESCE(m.merged_into, e.reader_id) AS reader_id,
    e.event_type,
    e.book_id,
    e.rating,
    e.recommendation_id,
    e."position",
    e.model_version,
    e.occurred_ts
  FROM deduplicated AS e
  LEFT JOIN merges AS m
    ON m.reader_id = e.reader_id
    AND e.occurred_ts <= m.merged_until
    AND (m.merged_after IS NULL OR e.occurred_ts > m.merged_after)
  WHERE e.copy_number = 1
)
SELECT
  a.event_id,
  a.reader_id,
  a.event_type,
  a.book_id,
  a.rating,
  a.recommendation_id,
  a."position",
  a.model_version,
  a.occurred_ts AS occurred_at,
  CAST(CAST(a.occurred_ts AS DATE) AS VARCHAR) AS dt
FROM attributed AS a
LEFT JOIN deletions AS deleted_logged ON deleted_logged.reader_id = a.logged_reader_id
LEFT JOIN deletions AS deleted_owner ON deleted_owner.reader_id = a.reader_id
WHERE (deleted_logged.deleted_until IS NULL OR a.occurred_ts > deleted_logged.deleted_until)
  AND (deleted_owner.deleted_until IS NULL OR a.occurred_ts > deleted_owner.deleted_until)
