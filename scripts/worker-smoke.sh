#!/usr/bin/env bash
# Feishu on Workers, end to end in the real bundle: `wrangler dev --local` (offline, local D1 in a temp folder) with
# the test fixtures' Feishu credentials, then a signed, encrypted url_verification that must come back with its
# challenge. The Lark SDK cannot load in the vitest Workers pool, so this is Feishu's Workers check. ~15 s.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${SMOKE_PORT:-8799}"
state="$(mktemp -d)"
log="$state/wrangler.log"
fixture=test/fixtures/feishu

# Its own process group, so the cleanup stops wrangler and the workerd it starts, and nothing else.
setsid node_modules/.bin/wrangler dev --local --port "$port" --ip 127.0.0.1 --persist-to "$state" \
  --var FEISHU_APP_ID:cli_a7c2e9f4b1d3500e \
  --var FEISHU_APP_SECRET:WTzZnHp5ZGH3ooJYNDkoF0eQfDk3UAtH \
  --var FEISHU_ENCRYPT_KEY:KvQI5CPswWKY1BBBmq4euNFgOUGGk8lB \
  --var FEISHU_VERIFICATION_TOKEN:wIjqFEVlgNZOxnRMDrBqpR74QkCdOJAM \
  --var FEISHU_DOMAIN:http://127.0.0.1:9 \
  >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log"; echo "worker did not start" >&2; exit 1; }

# Sign the fixture's raw body as Feishu does: sha256(timestamp + nonce + encrypt key + body).
answer="$(node --input-type=module -e "
  import { createHash } from 'node:crypto';
  import { readFileSync } from 'node:fs';
  const f = JSON.parse(readFileSync('$fixture/post-url-verification-encrypted.json', 'utf8'));
  const ts = String(Math.floor(Date.now() / 1000)), nonce = 'smoke-nonce';
  const sig = createHash('sha256').update(ts + nonce + 'KvQI5CPswWKY1BBBmq4euNFgOUGGk8lB' + f.rawBody).digest('hex');
  const res = await fetch('http://127.0.0.1:$port/webhooks/feishu', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts,
               'x-lark-request-nonce': nonce, 'x-lark-signature': sig },
    body: f.rawBody,
  });
  const body = await res.json();
  if (res.status !== 200 || body.challenge !== f.expectedResponse.challenge) {
    console.error('unexpected answer', res.status, JSON.stringify(body)); process.exit(1);
  }
  console.log(body.challenge);
")" || { cat "$log"; exit 1; }
echo "worker smoke: Feishu url_verification answered with challenge $answer"
