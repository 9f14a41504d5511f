-- Fact `recommendations_served`: one row per book of every list the recommender served (once, however often the
-- list was archived), with the time it was made in UTC, after the deletion log (`raw_deletions`), as `interactions`:
-- a list made up to a merge of its anonymous reader id belongs to the account it merged into; one made up to a
-- deletion of its reader id, or of that account, is left out. Partition column last: `dt`, the UTC day it was made.
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
),
attributed AS (
  SELECT
    s.recommendation_id,
    s.reader_id AS logged_reader_id,
    COALESCE(m.merged_into, s.reader_id) AS reader_id,
    s.model_version,
    s.strategy,
    s."position",
    s.book_id,
    s.generated_ts
  FROM deduplicated AS s
  LEFT JOIN merges AS m
    ON m.reader_id = s.reader_id
    AND s.generated_ts <= m.merged_until
    AND (m.merged_after IS NULL OR s.generated_ts > m.merged_after)
  WHERE s.copy_number = 1
)
SELECT
  a.recommendation_id,
  a.reader_id,
  a.model_version,
  a.strategy,
  a."position",
  a.book_id,
  a.generated_ts AS generated_at,
  CAST(CAST(a.generated_ts AS DATE) AS VARCHAR) AS dt
FROM attributed AS a
LEFT JOIN deletions AS deleted_logged ON deleted_logged.reader_id = a.logged_reader_id
LEFT JOIN deletions AS deleted_owner ON deleted_owner.reader_id = a.reader_id
WHERE (deleted_logged.deleted_until IS NULL OR a.generated_ts > deleted_logged.deleted_until)
  AND (deleted_owner.deleted_until IS NULL OR a.generated_ts > deleted_owner.deleted_until)
