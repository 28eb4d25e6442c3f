// Sequential DetectCustomLabels calls with the AWS SDK for JavaScript v3 over
// one keep-alive connection, for tests/benchmarks/run.sh: prints one line per
// image size, "js-v3 SIZE calls_per_s=X". Run from a folder where
// @aws-sdk/client-rekognition is installed.
//
// Usage: node sdk_keepalive.mjs ENDPOINT_URL SECONDS SIZE...
import { createRequire } from "node:module";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";

const require = createRequire(process.cwd() + "/");
const { RekognitionClient, DetectCustomLabelsCommand } = require("@aws-sdk/client-rekognition");
const { NodeHttpHandler } = require("@smithy/node-http-handler");

const ARN = "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";
const [endpoint, secondsText, ...sizes] = process.argv.slice(2);
const seconds = Number(secondsText);

const client = new RekognitionClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 1 }) }),
});

function imageOfSize(size) {
  const head = Buffer.from("89504e470d0a1a0a0000000d494844520000004000000040080200000000", "hex");
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]).subarray(0, size);
}

for (const sizeText of sizes) {
  const size = Number(sizeText);
  const image = imageOfSize(size);
  const call = () => client.send(new DetectCustomLabelsCommand({ ProjectVersionArn: ARN, Image: { Bytes: image } }));
  const first = await call(); // connects outside the timing
  if (first.CustomLabels.length !== 1) throw new Error("unexpected answer");
  let calls = 0;
  const started = performance.now();
  while (calls < 3 || performance.now() - started < seconds * 1000) {
    await call();
    calls += 1;
  }
  console.log(`js-v3 ${size} calls_per_s=${(calls / ((performance.now() - started) / 1000)).toFixed(1)}`);
}
client.destroy();
