import { GetObjectTaggingCommand, PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { startS3 } from './s3rver';

test('s3rver starts on a free loopback port and keeps object tags', async () => {
  const s3 = await startS3(['archive-test']);
  try {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const Key = 'connect/x/CallRecordings/2026/11/23/abc:def 1.wav';
    await s3.client.send(new PutObjectCommand({ Bucket: 'archive-test', Key, Body: 'audio' }));
    await s3.client.send(
      new PutObjectTaggingCommand({
        Bucket: 'archive-test',
        Key,
        Tagging: { TagSet: [{ Key: 'retention', Value: 'short' }] },
      }),
    );
    const tags = await s3.client.send(new GetObjectTaggingCommand({ Bucket: 'archive-test', Key }));
    expect(tags.TagSet).toEqual([{ Key: 'retention', Value: 'short' }]);
  } finally {
    await s3.stop();
  }
});
