-- Training export `history`: the older interactions, from {{history_days}} days before the newest one to the start
-- of the `train` window, in the same layout as `train`; the training job replays a sample of their readers with the new window.
WITH newest AS (
  SELECT MAX(occurred_at) AS at FROM interactions
)
SELECT
  i.reader_id AS user_id,
  i.book_id,
  COALESCE(i.rating, 0) AS rating,
  CASE
    WHEN i.event_type IN ('view', 'open', 'click') THEN 'view'
    WHEN i.event_type IN ('borrow', 'add-to-list') THEN 'borrow'
    ELSE i.event_type
  END AS event
FROM interactions AS i
CROSS JOIN newest AS n
WHERE i.book_id IS NOT NULL
  AND i.event_type IN ('view', 'open', 'click', 'borrow', 'add-to-list', 'finish', 'rate', 'dismiss')
  AND i.occurred_at <= n.at - INTERVAL '{{holdout_days}}' DAY - INTERVAL '{{window_days}}' DAY
  AND i.occurred_at > n.at - INTERVAL '{{history_days}}' DAY
ORDER BY i.occurred_at, i.event_id
