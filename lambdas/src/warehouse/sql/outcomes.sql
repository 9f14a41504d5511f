-- Fact `outcomes`: each impression with what the same reader then did with the same book within the attribution
-- window, from the impression (included) to {{attribution_days}} days later (excluded): clicked (a click on that
-- recommendation), opened, borrowed, finished, rated; 1 or 0 each. Every impression is credited on its own (two
-- impressions of a book before one borrow both count it). Partition column last: `dt`, the impression's UTC day.
SELECT
  i.event_id AS impression_id,
  i.reader_id,
  i.recommendation_id,
  i.model_version,
  i."position",
  i.book_id,
  i.occurred_at AS impression_at,
  MAX(CASE WHEN a.event_type = 'click' AND a.recommendation_id = i.recommendation_id THEN 1 ELSE 0 END) AS clicked,
  MAX(CASE WHEN a.event_type = 'open' THEN 1 ELSE 0 END) AS opened,
  MAX(CASE WHEN a.event_type = 'borrow' THEN 1 ELSE 0 END) AS borrowed,
  MAX(CASE WHEN a.event_type = 'finish' THEN 1 ELSE 0 END) AS finished,
  MAX(CASE WHEN a.event_type = 'rate' THEN 1 ELSE 0 END) AS rated,
  i.dt
FROM interactions AS i
LEFT JOIN interactions AS a
  ON a.reader_id = i.reader_id
  AND a.book_id = i.book_id
  AND a.event_type IN ('click', 'open', 'borrow', 'finish', 'rate')
  AND a.occurred_at >= i.occurred_at
  AND a.occurred_at < i.occurred_at + INTERVAL '{{attribution_days}}' DAY
WHERE i.event_type = 'impression'
GROUP BY i.event_id, i.reader_id, i.recommendation_id, i.model_version, i."position", i.book_id, i.occurred_at, i.dt
