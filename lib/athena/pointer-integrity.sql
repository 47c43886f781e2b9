-- The pointer-integrity check over one day's S3 Inventory (table: recording-inventory-table.sql),
-- for archives too large to list weekly. Same finding types as the Lambda (docs/integrity.md).
-- Placeholders: {{dt}} (an inventory partition, e.g. 2026-11-22-01-00), {{recordings_prefix}},
-- {{org_id}}, {{platform_retention_days}}.
-- Not covered here, because the inventory has no such data: ExportedRecordingMissing (Genesys API),
-- MissingRetentionTag / UnknownRetentionClass (inventories carry no tags), and the KMS key id
-- (EncryptionStatus says SSE-KMS, not which key; the bucket policy denies uploads naming another key).
WITH objects AS (
  SELECT
    key,
    last_modified_date,
    encryption_status,
    lifecycle_expiration_date,
    regexp_extract(key, '^(.*/)[^/]+$', 1) AS folder,
    regexp_like(key, '_metadata\.json$') AS is_sidecar,
    CASE
      WHEN regexp_like(key, '_metadata\.json$') THEN regexp_extract(key, '([^/]+)_metadata\.json$', 1)
      ELSE regexp_extract(key, '/([^/.]+)[^/]*$', 1)
    END AS recording_id
  FROM recording_inventory
  WHERE dt = '{{dt}}'
    AND is_latest AND NOT is_delete_marker
    AND key LIKE '{{recordings_prefix}}{{org_id}}/%'
    AND key NOT LIKE '%/'
),
pairs AS (
  SELECT
    folder,
    recording_id,
    count_if(NOT is_sidecar) AS recordings,
    count_if(is_sidecar) AS sidecars,
    min(key) AS key
  FROM objects
  GROUP BY folder, recording_id
)
SELECT 'RecordingWithoutSidecar' AS finding, key, 'no _metadata.json sidecar in its conversation folder' AS detail
FROM pairs WHERE sidecars = 0
UNION ALL
SELECT 'SidecarWithoutRecording', key, 'the sidecar names a recording that is not in its conversation folder'
FROM pairs WHERE recordings = 0
UNION ALL
SELECT 'NotEncryptedWithArchiveKey', key, 'encryption status ' || coalesce(encryption_status, 'unknown') || ' instead of SSE-KMS'
FROM objects WHERE coalesce(encryption_status, '') <> 'SSE-KMS'
UNION ALL
SELECT 'ExpiresBeforePlatformWindow', key,
  'S3 expires it on ' || CAST(lifecycle_expiration_date AS varchar) || ', before the platform window of {{platform_retention_days}} days ends'
FROM objects
WHERE lifecycle_expiration_date IS NOT NULL
  AND lifecycle_expiration_date < date_add('day', {{platform_retention_days}}, last_modified_date)
ORDER BY finding, key;
