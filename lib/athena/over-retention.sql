-- Over-retention on one day's S3 Inventory of the recordings prefix (all versions, table:
-- recording-inventory-table.sql): RetainedPastDay and NoncurrentPastDay as the weekly check reports
-- them (docs/integrity.md). Placeholders: {{dt}} (an inventory partition, e.g. 2026-11-24-01-00),
-- {{recordings_prefix}}, {{as_of}} (the day to judge at, YYYY-MM-DD: the inventory's day),
-- {{window_days}} (compliance.retentionDays) and {{noncurrent_days}}
-- (lifecycle.noncurrentVersionExpirationDays).
-- Lifecycle counts days from the write (or, for a noncurrent version, from the write of the next
-- newer version or delete marker) and rounds up to the next midnight UTC; like the check, a version
-- is reported two days (the grace) after that day. A current version's day is the window, or S3's
-- own LifecycleExpirationDate when earlier (it includes tag-filtered rules). The inventory covers
-- the archive's recordings prefix only: the replica, connect/ and Connect's own bucket are measured
-- by the weekly check. Written in the SQL that Athena (Trino) and DuckDB both accept (date_diff on
-- dates, date_trunc, lag), so test/athena runs this very text.
WITH versions AS (
  SELECT
    key,
    version_id,
    is_latest,
    is_delete_marker,
    last_modified_date,
    lifecycle_expiration_date,
    -- When this version became noncurrent: the write of the next newer version or delete marker.
    lag(last_modified_date) OVER (PARTITION BY key ORDER BY last_modified_date DESC, is_latest DESC) AS superseded_at
  FROM recording_inventory
  WHERE dt = '{{dt}}'
    AND key LIKE '{{recordings_prefix}}%'
),
measured AS (
  SELECT
    *,
    date_diff('day', CAST(last_modified_date AS date), DATE '{{as_of}}')
      - CASE WHEN date_trunc('day', last_modified_date) = last_modified_date THEN 0 ELSE 1 END AS days_since_write,
    date_diff('day', CAST(superseded_at AS date), DATE '{{as_of}}')
      - CASE WHEN date_trunc('day', superseded_at) = superseded_at THEN 0 ELSE 1 END AS days_noncurrent,
    date_diff('day', CAST(lifecycle_expiration_date AS date), DATE '{{as_of}}') AS days_past_s3_expiration
  FROM versions
  WHERE NOT coalesce(is_delete_marker, false)
)
SELECT 'RetainedPastDay' AS finding, key, version_id,
  'current version written ' || CAST(CAST(last_modified_date AS date) AS varchar)
    || ', due by the {{window_days}}-day window or S3''s expiration date '
    || coalesce(CAST(CAST(lifecycle_expiration_date AS date) AS varchar), '(none)') || ', still there' AS detail
FROM measured
WHERE coalesce(is_latest, true)
  AND (days_since_write > {{window_days}} + 2 OR days_past_s3_expiration > 2)
UNION ALL
SELECT 'NoncurrentPastDay', key, version_id,
  'noncurrent since ' || CAST(CAST(superseded_at AS date) AS varchar)
    || ', due after {{noncurrent_days}} noncurrent days, still there'
FROM measured
WHERE NOT coalesce(is_latest, true)
  AND superseded_at IS NOT NULL
  AND days_noncurrent > {{noncurrent_days}} + 2
ORDER BY finding, key, version_id;
