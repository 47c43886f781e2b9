-- Conversations that began between two days (UTC, YYYY-MM-DD, inclusive), only those routed
-- through a queue and/or with an agent (Genesys ids; an empty string matches any), with their
-- recording count: what `archive find --from --to [--queue] [--agent]` lists.
-- Parameters (in order): from_day, to_day, queue_id, user_id.
WITH params AS (
  SELECT ? AS from_day, ? AS to_day, ? AS queue_id, ? AS user_id
),
sidecars AS (
  SELECT
    s.org, s.year, s.month, s.day, s.hour,
    regexp_extract(s."$path", 'conversation_id=([^/]+)/', 1) AS conversation_id
  FROM recording_sidecars s
  CROSS JOIN params p
  WHERE s."$path" LIKE '%\_metadata.json' ESCAPE '\'
    AND concat(s.year, '-', s.month, '-', s.day) BETWEEN p.from_day AND p.to_day
    AND (p.queue_id = '' OR contains(s.queueids, p.queue_id))
    AND (p.user_id = '' OR contains(s.userids, p.user_id))
)
SELECT org, year, month, day, hour, conversation_id, count(*) AS recordings
FROM sidecars
GROUP BY org, year, month, day, hour, conversation_id
ORDER BY year, month, day, hour, conversation_id;
