#!/usr/bin/env bash
# The README's reel.yaml reference must be the one the option tables generate today, and every
# command must answer --help.
bin=${REEL_BIN:-build/reel}
n=0; failed=0
check() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
REEL_BIN=$bin bash scripts/update-readme.sh --check; check $? "README reference matches \`reel agents --markdown\`"
for c in init plan run status set agents probe ingest demo script transcribe takes; do
    out=$("$bin" "$c" --help 2>&1); rc=$?
    echo "$out" | grep -q "usage: reel $c"; check $(( rc || $? )) "reel $c --help teaches its usage"
done
echo "1..$n"
exit $failed
