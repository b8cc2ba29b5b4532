"""The S3-compatible media store (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode) for production.

Objects are named `{prefix}{media_id}` with their content type; the bucket must exist.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError

from tianmen_reports.adapters.media_store import MEDIA_ID, StoredMedia


class S3MediaStore:
    def __init__(self, client: Any, bucket: str, prefix: str = "tips/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def connect(
        cls, endpoint_url: str | None, bucket: str, region: str = "us-east-1"
    ) -> S3MediaStore:
        """Credentials come from the usual AWS_* environment or profile."""
        return cls(boto3.client("s3", endpoint_url=endpoint_url, region_name=region), bucket)

    def put(self, media: StoredMedia) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self.prefix + media.media_id,
            Body=media.data,
            ContentType=media.content_type,
        )

    def get(self, media_id: str) -> StoredMedia | None:
        if not MEDIA_ID.fullmatch(media_id):
            return None
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self.prefix + media_id)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        return StoredMedia(media_id, str(found["ContentType"]), found["Body"].read())
