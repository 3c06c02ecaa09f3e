#!/usr/bin/env bash
# Sharded certificates (enumerate --shards): the checker accepts them and rejects every tampering with the name of the
# shard at fault; the same manifest for any number of threads; bad options are exit 2; a killed run resumed from its
# checkpoint writes the manifest an uninterrupted run writes.
# Usage: shards.sh CHAMBER ARRANGEMENTS_DIR WORKDIR   (ARRANGEMENTS_DIR: data/families/arrangements)
set -u
chamber=$1 instances=$2 work=$3
source "$(dirname "$0")/kill_after_checkpoint.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3

small="$instances/0007-threshold4.arr"
"$chamber" enumerate "$small" --shards good --job-budget 50 --threads 2 --json -q > good.json || fail "enumerate --shards"
"$chamber" count "$small" --json -q > count.json || fail "count"
regions=$(grep -Eo '"regions": [0-9]+' good.json | head -1 | grep -Eo '[0-9]+$')
[ "$regions" = "$(grep -Eo '"regions": [0-9]+' count.json | head -1 | grep -Eo '[0-9]+$')" ] ||
  fail "enumerate --shards found $regions regions, count says otherwise"
[ "$(ls good/r-*.jsonl.gz | wc -l)" -gt 50 ] || fail "budgets of 50 nodes made under 50 shards"
"$chamber" check good/manifest.json --arrangement "$small" > check.out || fail "the sharded certificate is rejected: $(cat check.out)"
grep -q "valid: proven $regions regions" check.out || fail "check: $(cat check.out)"
"$chamber" enumerate "$small" --shards one --job-budget 50 --threads 1 -q > /dev/null || fail "enumerate --shards --threads 1"
cmp -s good/manifest.json one/manifest.json || fail "the manifest differs between 1 and 2 threads"

# tamper NAME PYTHON EXPECTED: a copy of good/ changed by PYTHON (run in the copy, with json, gzip, hashlib and the
# helpers below) must be rejected (exit 1) with EXPECTED in the reason.
tamper() {
  rm -rf t && cp -r good t
  (cd t && "$py" -c "
import gzip, hashlib, json, os
m = json.load(open('manifest.json'))
def save(): json.dump(m, open('manifest.json', 'w'))
def rewrite(name, change):
    lines = gzip.open(name, 'rt').read().split('\n')
    lines = change(lines)
    data = gzip.compress('\n'.join(lines).encode())
    open(name, 'wb').write(data)
    for entry in m['shards'] + [m['completion']]:
        if entry['file'] == name: entry['sha256'] = hashlib.sha256(data).hexdigest(); entry['bytes'] = len(data)
    save()
$2") || fail "$1: the tampering script failed"
  "$chamber" check t/manifest.json > t.out 2>&1
  code=$?
  [ $code -eq 1 ] || fail "$1: exit $code, expected 1 ($(cat t.out))"
  grep -q -- "$3" t.out || fail "$1: reason '$(cat t.out)' does not say '$3'"
}
tamper "a shard listed twice" "m['shards'].insert(3, m['shards'][3]); save()" "is listed twice"
tamper "a shard file missing" "os.remove('r-000001.jsonl.gz')" "shard r-000001: file r-000001.jsonl.gz is missing"
tamper "a shard grown by a byte" "open(m['shards'][1]['file'], 'ab').write(b'x')" "bytes, the manifest says"
tamper "a shard with one byte changed" "
data = bytearray(open(m['shards'][1]['file'], 'rb').read()); data[len(data) // 2] ^= 1
open(m['shards'][1]['file'], 'wb').write(bytes(data))" "does not have the sha256"
tamper "a shard declared huge" "m['shards'][1]['bytes'] = 1 << 40; save()" "at most 1 GiB"
tamper "a shard left out" "d = m['shards'].pop(4); m['region_count'] -= d['regions']; save()" "is not listed"
tamper "a witness moved (sha256 fixed)" "
def move(lines):
    for i, l in enumerate(lines):
        if l.startswith('{\"region\"'):
            o = json.loads(l); o['region']['witness'][0] = '1000'; lines[i] = json.dumps(o); return lines
shard = [s for s in m['shards'] if s['regions'] > 0][1]  # (the root's small budget may find none)
rewrite(shard['file'], move)" "shard r-[0-9-]* line"
tamper "a completion pair dropped (sha256 fixed)" "
def drop(lines):
    pairs = [l for l in lines if l.startswith('{\"pair\"')]
    m['completion']['pairs'] -= 1
    return [l for l in lines if l != pairs[0]]
rewrite('completion.jsonl.gz', drop)" "is not a region and no Farkas entry is given"
tamper "a name outside the directory" "m['shards'][2]['name'] = '../x'; save()" "expected \"r\" and a"
tamper "a region count too high" "m['region_count'] += 1; save()" "region_count"
echo '{"format": "chamber-certificate-shards", "version": 1' > broken.json
"$chamber" check broken.json > /dev/null 2>&1
[ $? -eq 2 ] || fail "a manifest that is not JSON: not exit 2"

# Options: exit 2 with a reason.
expect2() {
  local what=$1; shift
  "$chamber" "$@" > opt.out 2>&1
  local code=$?
  [ $code -eq 2 ] || fail "$what: exit $code, expected 2 ($(cat opt.out))"
}
expect2 "--checkpoint without --shards" enumerate "$small" --checkpoint ck.json
expect2 "--shards with --certificate" enumerate "$small" --shards x1 --certificate x.cert
expect2 "--shards into a directory with a manifest" enumerate "$small" --shards good
expect2 "--resume of a missing file" enumerate "$small" --shards x2 --resume missing.json
"$chamber" enumerate "$instances/0002-resonance4.arr" --shards other --checkpoint other.json --checkpoint-every 0.01 -q \
  > /dev/null || fail "a run with checkpoints"
[ -f other.json ] || fail "no checkpoint written"
expect2 "--resume of another arrangement's checkpoint" enumerate "$small" --shards x3 --resume other.json
grep -q "another arrangement" opt.out || fail "resume of another arrangement: $(cat opt.out)"

# A killed run (SIGKILL) resumed from its checkpoint: the manifest of an uninterrupted run.
big="$instances/0008-threshold5.arr"
"$chamber" enumerate "$big" --shards ref --threads 2 -q > /dev/null || fail "the uninterrupted run"
"$chamber" enumerate "$big" --shards killed --threads 2 -q --checkpoint killed.json --checkpoint-every 0.2 > /dev/null 2>&1 &
runner=$!
kill_after_checkpoint killed.json 20 $runner
wait $runner 2> /dev/null
[ -f killed/manifest.json ] && fail "the run finished before it was killed (make the instance bigger)"
"$chamber" enumerate "$big" --shards killed --threads 1 --resume killed.json --checkpoint killed.json -q > /dev/null ||
  fail "the resumed run failed"
cmp -s ref/manifest.json killed/manifest.json || fail "the resumed run's manifest differs from the uninterrupted run's"
"$chamber" check killed/manifest.json --arrangement "$big" > /dev/null || fail "the resumed run's certificate is rejected"

# count --method enumerate with checkpoints: a killed count resumed from its checkpoint (with other threads) counts
# the regions and LPs of an uninterrupted one; bad combinations are exit 2.
value() { "$py" -c 'import json, sys; d = json.load(open(sys.argv[2])); print(eval(sys.argv[1], {}, d))' "$1" "$2"; }
"$chamber" count "$big" --method enumerate --no-bounded --checkpoint whole.ck --threads 2 --json -q > whole.json ||
  fail "count --checkpoint"
"$chamber" count "$big" --json -q --threads 2 > zaslavsky.json || fail "count of $big"
[ "$(value regions whole.json)" = "$(value regions zaslavsky.json)" ] || fail "count --checkpoint: another count"
"$chamber" count "$big" --method enumerate --no-bounded --threads 1 -q --checkpoint counted.ck --checkpoint-every 0.1 \
  > /dev/null 2>&1 &
runner=$!
kill_after_checkpoint counted.ck 100 $runner
wait $runner 2> /dev/null
"$chamber" count "$big" --method enumerate --no-bounded --threads 2 --json -q --resume counted.ck \
  --checkpoint counted.ck > resumed.json || fail "the resumed count failed"
for key in regions lp_solves; do
  [ "$(value $key resumed.json)" = "$(value $key whole.json)" ] ||
    fail "the resumed count's $key: $(value $key resumed.json), uninterrupted: $(value $key whole.json)"
done
[ "$(value 'jobs["resumed_jobs"]' resumed.json)" -gt 0 ] || fail "the resumed count resumed no jobs: $(cat resumed.json)"
expect2 "count --checkpoint with --method zaslavsky" count "$big" --method zaslavsky --checkpoint z.ck
expect2 "count --checkpoint testing boundedness" count "$instances/0021-generic_n3_m8.arr" --method enumerate \
  --checkpoint b.ck
grep -q "no-bounded" opt.out || fail "count --checkpoint with bounded regions: $(cat opt.out)"
expect2 "count --job-budget without --checkpoint" count "$big" --job-budget 5
expect2 "count --resume of a shards checkpoint" count "$big" --method enumerate --no-bounded --resume killed.json
grep -q "chamber-count-checkpoint" opt.out || fail "count --resume of a shards checkpoint: $(cat opt.out)"
echo "ok: sharded certificates checked, tampered copies rejected with their shard's name, a killed run resumed, a killed count resumed"
