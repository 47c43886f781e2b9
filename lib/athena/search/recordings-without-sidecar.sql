-- Recordings with no _metadata.json sidecar in their conversation folder, from one day's S3
-- Inventory (table recording_inventory); dt is an inventory partition such as 2026-11-22-01-00.
-- Parameters (in order): dt.
WITH objects AS (
  SELECT
    key,
    regexp_extract(key, '^(.*/)[^/]+$', 1) AS folder,
    key LIKE '%\_metadata.json' ESCAPE '\' AS is_sidecar,
    CASE
      WHEN key LIKE '%\_metadata.json' ESCAPE '\' THEN regexp_extract(key, '([^/]+)_metadata\.json$', 1)
      ELSE regexp_extract(key, '/([^/.]+)[^/]*$', 1)
    END AS recording_id
  FROM recording_inventory
  WHERE dt = ?
    AND is_latest AND NOT is_delete_marker
    AND key LIKE '%/conversation\_id=%' ESCAPE '\'
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
SELECT key, regexp_extract(folder, 'conversation_id=([^/]+)/', 1) AS conversation_id, recording_id
FROM pairs
WHERE sidecars = 0 AND recordings > 0
ORDER BY key;
