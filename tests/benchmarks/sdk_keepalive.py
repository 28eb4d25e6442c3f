"""Sequential DetectCustomLabels calls with boto3 over one keep-alive
connection, for tests/benchmarks/run.sh: prints one line per image size,
"boto3 SIZE calls_per_s=X".

Usage: sdk_keepalive.py ENDPOINT_URL SECONDS SIZE...
"""
import os
import sys
import time

import boto3
from botocore.config import Config

ARN = "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000"


def image_of_size(size):
    # A PNG signature and header padded to `size`: the server never decodes it.
    head = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00@\x00\x00\x00@\x08\x02\x00\x00\x00"
    return (head + os.urandom(max(0, size - len(head))))[:size]


def main():
    endpoint, seconds, sizes = sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3:]]
    client = boto3.client(
        "rekognition",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    for size in sizes:
        image = image_of_size(size)
        call = lambda: client.detect_custom_labels(ProjectVersionArn=ARN, Image={"Bytes": image})
        if len(call()["CustomLabels"]) != 1:  # connects outside the timing
            sys.exit("unexpected answer")
        calls, started = 0, time.perf_counter()
        while calls < 3 or time.perf_counter() - started < seconds:
            call()
            calls += 1
        print("boto3 %d calls_per_s=%.1f" % (size, calls / (time.perf_counter() - started)))


if __name__ == "__main__":
    main()
