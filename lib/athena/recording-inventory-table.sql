-- Athena table over the daily Parquet S3 Inventory of the recordings prefix
-- (lib/constructs/recording-inventory.ts), delivered to the access-log bucket. Replace
-- {{inventory_bucket}} with the access-log bucket's name and {{archive_bucket}} with the
-- RecordingBucketName output. Every version is inventoried: queries about what a reader gets today
-- keep to `is_latest AND NOT is_delete_marker`.
-- Partition projection: no MSCK REPAIR, every delivered day is queryable by its dt.
CREATE EXTERNAL TABLE IF NOT EXISTS recording_inventory (
  bucket string,
  key string,
  version_id string,
  is_latest boolean,
  is_delete_marker boolean,
  size bigint,
  last_modified_date timestamp,
  e_tag string,
  storage_class string,
  encryption_status string,
  bucket_key_status string,
  object_lock_retain_until_date timestamp,
  object_lock_mode string,
  object_lock_legal_hold_status string,
  lifecycle_expiration_date timestamp
)
PARTITIONED BY (dt string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat'
LOCATION 's3://{{inventory_bucket}}/inventory/recordings/{{archive_bucket}}/recordings-daily/hive/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd-HH-mm',
  'projection.dt.range' = '2026-01-01-00-00,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'HOURS'
);
