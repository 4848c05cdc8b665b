#!/usr/bin/env bash
# `reel transcribe FILE`: real speech (pocketsphinx-testdata's goforward.wav) to timed words, scored
# against a Fountain screenplay with --script (a word the take lacks is reported as missed, with
# --scene choosing the lines); --json; bad input.
. "$(dirname "$0")/lib.sh"
need_media real/goforward.wav real/cityCC0.mpg

G=$REEL_MEDIA/real/goforward.wav
S=$W/s.fountain
printf 'INT. STREET - DAY\n\nJOE\nGo forward ten meters now.\n\nEXT. PARK - DAY\n\nANN\nGo forward ten meters.\n' >"$S"

rr transcribe "$G"
check "goforward.wav: exit 0" test "$RC" = 0
check "the words go forward ten meters, each with its start and end" \
    sh -c "awk '{print \$3}' '$W/rr.out' | head -4 | tr '\n' ' ' | grep -qx 'go forward ten meters '"
check "a summary with the real-time factor" grep -Eq "^4 words in 2.8 s of sound .*x real time$" "$W/rr.out"
[ "$RC" = 0 ] || rr_diag

rr transcribe "$G" --script "$S" --scene 1
check "scene 1 holds a word the take lacks: accuracy 0.80, now missed" \
    sh -c "grep -q 'accuracy 0.80 (1 missed, 0 added, 0 replaced, 0 swapped)' '$W/rr.out' && grep -Eq '^  missed +script \"now\"' '$W/rr.out'"
rr transcribe "$G" --script "$S" --scene 2
check "scene 2 is the line as spoken: accuracy 1.00" grep -q "accuracy 1.00 (0 missed" "$W/rr.out"
rr transcribe "$G" --script "$S" --json
check "--json: words with times and the whole script's score" python3 -c "
import json,sys; d=json.load(open('$W/rr.out'))
w=[x['word'] for x in d['words']]; s=d['script']
sys.exit(0 if w==['go','forward','ten','meters'] and all(x['end']>x['start'] for x in d['words'])
         and s['words']==9 and s['missed']==5 and d['seconds']>2.7 else 1)"

rr transcribe "$REEL_MEDIA/real/cityCC0.mpg"
check "a clip without sound: exit 1, the file named" sh -c "[ $RC = 1 ] && grep -q cityCC0.mpg '$W/rr.err'"
rr transcribe "$W/missing.wav"
check "a missing file: exit 1, the file named" sh -c "[ $RC = 1 ] && grep -q missing.wav '$W/rr.err'"
rr transcribe "$G" --script "$S" --scene 9
check "a scene the script lacks: exit 1, named" sh -c "[ $RC = 1 ] && grep -q 'no scene 9 (the script has 2)' '$W/rr.err'"
rr transcribe "$G" --scene 1
check "--scene without --script: usage error (exit 2)" test "$RC" = 2
REEL_ASR_MODEL=$W/nomodel rr transcribe "$G"
check "no model: exit 1 naming the package" sh -c "[ $RC = 1 ] && grep -q pocketsphinx-en-us '$W/rr.err'"

plan_done
