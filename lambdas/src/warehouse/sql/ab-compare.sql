-- A/B comparison of two model versions on click-through: each one's impressions, clicks and CTR, the difference
-- B - A and its 95 % confidence interval by the normal approximation (unpooled Wald):
-- (pB - pA) +/- 1.96 * sqrt(pA * (1 - pA) / nA + pB * (1 - pB) / nB). No row when either version has no impression.
WITH arms AS (
  SELECT
    model_version,
    COUNT(*) AS impressions,
    CAST(SUM(clicked) AS BIGINT) AS clicks,
    CAST(SUM(clicked) AS DOUBLE) / COUNT(*) AS ctr
  FROM outcomes
  WHERE model_version IN ({{model_a}}, {{model_b}})
  GROUP BY model_version
),
arm_a AS (
  SELECT * FROM arms WHERE model_version = {{model_a}}
),
arm_b AS (
  SELECT * FROM arms WHERE model_version = {{model_b}}
),
compared AS (
  SELECT
    a.model_version AS model_a,
    a.impressions AS impressions_a,
    a.clicks AS clicks_a,
    a.ctr AS ctr_a,
    b.model_version AS model_b,
    b.impressions AS impressions_b,
    b.clicks AS clicks_b,
    b.ctr AS ctr_b,
    b.ctr - a.ctr AS ctr_difference,
    1.96 * sqrt(a.ctr * (1 - a.ctr) / a.impressions + b.ctr * (1 - b.ctr) / b.impressions) AS margin
  FROM arm_a AS a
  CROSS JOIN arm_b AS b
)
SELECT
  model_a,
  impressions_a,
  clicks_a,
  ctr_a,
  model_b,
  impressions_b,
  clicks_b,
  ctr_b,
  ctr_difference,
  ctr_difference - margin AS ci_low,
  ctr_difference + margin AS ci_high
FROM compared
