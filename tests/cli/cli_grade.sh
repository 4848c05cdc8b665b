#!/usr/bin/env bash
# `reel grade FILE` and the colour agent end to end on real footage: shot matching measured by
# ffmpeg on the graded render, the EDL / .ccc / .cube files, deflicker on synthetic flicker over
# real footage (flicker out, steps kept, clean footage untouched), time of day, look references
# (a real photograph, grey, 16-bit, flat, HDR), bad input, and in a project: the outputs and a
# time_of_day change that re-runs the colour task (and the render and QC that follow it).
. "$(dirname "$0")/lib.sh"
need_media real/vtest.avi real/cityCC0.mpg real/flower.png real/hdr_room.png real/goforward.wav bad/corrupted.mp4

V=$REEL_MEDIA/real/vtest.avi
# yavg FILE [FIRST LAST]: mean of ffmpeg's per-frame mean luma (frames FIRST..LAST, all by default)
yavg_all() { ffmpeg -nostdin -v error -i "$1" -vf signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=- -f null - | awk -F= '/YAVG/{print $2}'; }
stats() { # FILE KEY: per-frame values of a signalstats key
    ffmpeg -nostdin -v error -i "$1" -vf "signalstats,metadata=print:key=lavfi.signalstats.$2:file=-" -f null - | awk -F= "/$2/{print \$2}"
}

# --- shot matching: real footage, then the same footage darker, cooler and flatter, one cut ---
ffmpeg -nostdin -v error -y -i "$V" -filter_complex \
    "[0:v]trim=start_frame=0:end_frame=60,setpts=PTS-STARTPTS[a];[0:v]trim=start_frame=60:end_frame=120,setpts=PTS-STARTPTS,eq=contrast=0.75:saturation=0.55:brightness=-0.06,colorbalance=rs=-0.08:bs=0.1:rm=-0.06:bm=0.08[b];[a][b]concat=n=2:v=1,format=yuv420p" \
    -c:v libx264 -crf 12 -preset veryfast "$W/twoshots.mp4"
rr --json grade "$W/twoshots.mp4" --look neutral --no-deflicker --report "$W/r.json" --cdl "$W/s.ccc" \
    --edl "$W/s.edl" --cube "$W/look.cube" -o "$W/matched.mp4"
check "grade two shots: exit 0" test $RC -eq 0
check "two shots found, the second matched to the first: levels on the hero's, dE2000 of the means under 2 (predicted)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["clips"][0]["shots"]
print("# before %s after %s cdl %s" % (s[1]["before"], s[1]["after_predicted"], s[1]["cdl"]))
a = s[1]["after_predicted"]
sys.exit(0 if len(s) == 2 and s[0]["start"] == 0 and s[1]["start"] == 60 and s[1]["before"]["de2000"] > 3
         and a["de2000"] < 2 and abs(a["black_pct"]) < 1 and abs(a["median_pct"]) < 1 and abs(a["white_pct"]) < 2 else 1)' "$W/r.json"
# measured on the real pixels: mean R, G, B of each shot before and after (each file decoded
# with its own matrix: the source is untagged SD, BT.601; the render is tagged BT.709)
rgbmeans() { # FILE MATRIX -> "r1 g1 b1 r2 g2 b2" (frames 10..49 and 70..109)
    ffmpeg -nostdin -v error -i "$1" -vf "scale=64:48:flags=area:in_color_matrix=$2,format=rgb24" -f rawvideo - | python3 -c '
import sys
b = sys.stdin.buffer.read(); fs = 64 * 48 * 3; n = len(b) // fs
m = [[sum(b[f * fs + c:(f + 1) * fs:3]) / (64 * 48) for c in range(3)] for f in range(n)]
avg = lambda a, z: [sum(m[f][c] for f in range(a, z)) / (z - a) for c in range(3)]
print(" ".join("%.2f" % v for v in avg(10, 50) + avg(70, 110)))'
}
before=$(rgbmeans "$W/twoshots.mp4" bt601)
after=$(rgbmeans "$W/matched.mp4" bt709)
check "measured on the pixels: the second shot's mean R, G, B move to the first's (distance falls over 4x), the hero stays" python3 -c '
import sys
b = [float(x) for x in sys.argv[1].split()]; a = [float(x) for x in sys.argv[2].split()]
dist = lambda v: sum((v[i] - v[i + 3]) ** 2 for i in range(3)) ** 0.5
hero = max(abs(a[i] - b[i]) for i in range(3))
print("# before %s -> %.2f, after %s -> %.2f, hero moved %.2f" % (b, dist(b), a, dist(a), hero))
sys.exit(0 if dist(b) > 8 and dist(a) < dist(b) / 4 and hero < 1.5 else 1)' "$before" "$after"
check "EDL: two events in CMX3600 columns, each with FROM CLIP NAME, *ASC_SOP and *ASC_SAT" sh -c "
    [ \$(grep -cE '^[0-9]{3}  AX       V     C        [0-9:]{11} [0-9:]{11} [0-9:]{11} [0-9:]{11}\$' '$W/s.edl') -eq 2 ] &&
    [ \$(grep -cE '^\*ASC_SOP \(([0-9.-]+ ){2}[0-9.-]+\)\(([0-9.-]+ ){2}[0-9.-]+\)\(([0-9.-]+ ){2}[0-9.-]+\)\$' '$W/s.edl') -eq 2 ] &&
    [ \$(grep -cE '^\*ASC_SAT [0-9.]+\$' '$W/s.edl') -eq 2 ] && [ \$(grep -c '^\* FROM CLIP NAME: twoshots.mp4\$' '$W/s.edl') -eq 2 ]"
check ".ccc: a ColorCorrectionCollection of two ColorCorrections that python's XML parser reads, slopes as in the report" python3 -c '
import json, sys, xml.etree.ElementTree as ET
ns = {"c": "urn:ASC:CDL:v1.2"}
root = ET.parse(sys.argv[1]).getroot()
cc = root.findall("c:ColorCorrection", ns)
slope = [float(x) for x in cc[1].find("c:SOPNode/c:Slope", ns).text.split()]
want = json.load(open(sys.argv[2]))["clips"][0]["shots"][1]["cdl"]["slope"]
sys.exit(0 if root.tag.endswith("ColorCorrectionCollection") and len(cc) == 2 and all(abs(a - b) < 1e-5 for a, b in zip(slope, want)) else 1)' "$W/s.ccc" "$W/r.json"
check ".cube: ffmpeg's lut3d reads it" ffmpeg -nostdin -v error -f lavfi -i testsrc2=s=64x64:d=0.1 -vf "lut3d=file=$W/look.cube" -f null -
check "the graded render keeps every frame" test "$(ffprobe -v error -count_frames -select_streams v -show_entries stream=nb_read_frames -of csv=p=0 "$W/matched.mp4")" -eq 120

# --- deflicker on real footage with synthetic flicker; steps kept; clean footage untouched ----
ffmpeg -nostdin -v error -y -i "$V" -frames:v 150 -vf "geq=lum='clip(lum(X,Y)*(1+0.06*sin(2*PI*T*1.3)+0.03*sin(2*PI*T*2.9))*if(gt(T,7.5),1.3,1),0,255)':cb='cb(X,Y)':cr='cr(X,Y)'" \
    -c:v libx264 -crf 12 -preset veryfast "$W/flicker.mp4"
ffmpeg -nostdin -v error -y -i "$V" -frames:v 150 -c:v libx264 -crf 12 -preset veryfast "$W/clean.mp4"
rr --json grade "$W/flicker.mp4" --no-match -o "$W/deflickered.mp4"
check "deflicker: exit 0" test $RC -eq 0
flick() { yavg_all "$1" | awk 'NR>1 {d=$1-p; s+=d*d; if (d*d>m) m=d*d; n++} {p=$1} END {printf "%.4f", (s-m)/(n-1)}'; } # frame-to-frame variance, the step (largest) left out
third() { yavg_all "$1" | awk 'NR<=50 {a+=$1} NR>100 {b+=$1} END {printf "%.3f", b/a}'; }
fi=$(flick "$W/flicker.mp4") fo=$(flick "$W/deflickered.mp4") fc=$(flick "$W/clean.mp4")
check "deflicker: frame-to-frame mean luma variance $fi -> $fo, under a fiftieth (the clean clip: $fc)" awk -v i="$fi" -v o="$fo" 'BEGIN { exit !(o < i / 50) }'
ti=$(third "$W/flicker.mp4") to=$(third "$W/deflickered.mp4")
check "deflicker: the step (x1.3 from 7.5 s) is kept: last third over first third $ti -> $to" awk -v i="$ti" -v o="$to" 'BEGIN { exit !(o > 1.2 && (o - i) < 0.05 && (i - o) < 0.05) }'
rr --json grade "$W/clean.mp4" --no-match --report "$W/clean.json" -o "$W/clean_out.mp4"
check "clean footage: deflicker changes no frame" test "$(json_get "$W/clean.json" 'd["clips"][0]["deflicker"]["frames_changed"]')" = 0
framemeans() { # FILE MATRIX -> per-frame mean of R+G+B over 3
    ffmpeg -nostdin -v error -i "$1" -vf "scale=64:48:flags=area:in_color_matrix=$2,format=rgb24" -f rawvideo - | python3 -c '
import sys
b = sys.stdin.buffer.read(); fs = 64 * 48 * 3
for f in range(len(b) // fs): print("%.3f" % (sum(b[f * fs:(f + 1) * fs]) / fs))'
}
framemeans "$W/clean.mp4" bt601 >"$W/m_in.txt"
framemeans "$W/clean_out.mp4" bt709 >"$W/m_out.txt"
worst=$(paste "$W/m_in.txt" "$W/m_out.txt" | awk '{d=$1-$2; if (d<0) d=-d; if (d>m) m=d} END {print m+0}')
check "clean footage: the render's frame means are the source's (worst frame off by $worst of 255: re-encoding)" \
    awk -v w="$worst" -v n="$(wc -l <"$W/m_out.txt")" 'BEGIN { exit !(w < 1 && n == 150) }'

changed=""
for f in vtest.avi cityCC0.mpg tree.avi box.mp4 cup.mp4 Megamind.avi; do
    [ -f "$REEL_MEDIA/real/$f" ] || continue
    rr --json grade "$REEL_MEDIA/real/$f" --no-match --report "$W/dfl.json"
    n=$(json_get "$W/dfl.json" 'd["clips"][0]["deflicker"]["frames_changed"]' 2>/dev/null)
    [ "$n" = 0 ] || changed="$changed $f:$n"
done
is "real footage without flicker (camera moves, people walking, animation, a cut): no frame changed" "$changed" ""

# --- time of day and named looks ---------------------------------------------------------------
ffmpeg -nostdin -v error -y -i "$V" -frames:v 20 -c:v libx264 -crf 12 -preset veryfast "$W/short.mp4"
rr grade "$W/short.mp4" --time-of-day night -o "$W/night.mp4"
check "time of day night: exit 0" test $RC -eq 0
yn=$(yavg_all "$W/night.mp4" | awk '{s+=$1} END {printf "%.1f", s/NR}') ys=$(yavg_all "$W/short.mp4" | awk '{s+=$1} END {printf "%.1f", s/NR}')
check "night is darker than the footage: mean luma $ys -> $yn" awk -v a="$ys" -v b="$yn" 'BEGIN { exit !(b < 0.7 * a) }'
rr grade "$W/short.mp4" --look noir -o "$W/noir.mov"
check "noir as ProRes: the chroma is neutral (U and V at 512 of 1023 within 3)" sh -c "
    [ $RC -eq 0 ] && ffprobe -v error -show_entries stream=codec_name,profile -of csv=p=0 '$W/noir.mov' | grep -q 'prores,HQ' &&
    ffmpeg -nostdin -v error -i '$W/noir.mov' -vf signalstats,metadata=print:file=- -f null - | awk -F= '/UAVG|VAVG/{d=\$2-512; if (d<0) d=-d; if (d>m) m=d} END {exit !(m < 3)}'"

# --- look references ---------------------------------------------------------------------------
rr --json grade "$W/short.mp4" --look "$REEL_MEDIA/real/flower.png" --report "$W/ref.json"
check "a real photograph as the reference: fitted, named in the report" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
l = d["look"]
sys.exit(0 if l["look"] == "reference" and l["references"][0]["path"].endswith("flower.png") and l["fit"]["reference_samples"] > 10000 else 1)' "$W/ref.json"
rr --json grade "$W/short.mp4" --look "$REEL_MEDIA/real/hdr_room.png" --report "$W/r16.json"
check "a 16-bit PNG reference is read, and the report says so" sh -c "[ $RC -eq 0 ] && grep -q '16-bit' '$W/r16.json'"
ffmpeg -nostdin -v error -y -i "$REEL_MEDIA/real/flower.png" -vf scale=320:-2,format=gray "$W/gray.png"
rr --json grade "$W/short.mp4" --look "$W/gray.png" --report "$W/rg.json" -o "$W/gray_look.mp4"
check "a black-and-white reference gives a monochrome look, said in the report" sh -c "[ $RC -eq 0 ] && grep -q 'monochrome' '$W/rg.json' &&
    ffmpeg -nostdin -v error -i '$W/gray_look.mp4' -vf signalstats,metadata=print:file=- -f null - | awk -F= '/SATAVG/{s+=\$2; n++} END {exit !(s/n < 3)}'"
ffmpeg -nostdin -v error -y -f lavfi -i color=c=0x336699:s=64x64 -frames:v 1 "$W/flat.png"
rr grade "$W/short.mp4" --look "$W/flat.png"
check "a flat colour reference: exit 1 naming the file" sh -c "[ $RC -eq 1 ] && grep -q 'flat.png: a single flat colour' '$W/rr.err'"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=96x64:d=0.04 -c:v ffv1 -color_trc smpte2084 -color_primaries bt2020 -colorspace bt2020nc "$W/pq.mkv"
rr grade "$W/short.mp4" --look "$W/pq.mkv"
check "an HDR (PQ) reference: exit 1 naming the file" sh -c "[ $RC -eq 1 ] && grep -q 'pq.mkv: an HDR picture' '$W/rr.err'"
rr grade "$W/pq.mkv"
check "HDR footage: refused, saying reel grades SDR" sh -c "[ $RC -eq 1 ] && grep -q 'HDR footage' '$W/rr.err'"
rr --json grade "$W/short.mp4" --report "$W/tag.json"
check "untagged footage: the report says what was assumed" grep -q 'not tagged: assumed BT.601' "$W/tag.json"

# --- bad input ---------------------------------------------------------------------------------
rr grade "$W/short.mp4" --look sepia
check "an unknown look: usage error naming it and the looks there are" sh -c "[ $RC -eq 2 ] && grep -q \"'sepia' is neither a file nor a named look\" '$W/rr.err' && grep -q teal_orange '$W/rr.err'"
rr grade "$W/short.mp4" --time-of-day midnight
check "an unknown time of day: usage error" sh -c "[ $RC -eq 2 ] && grep -q 'golden_hour' '$W/rr.err'"
rr grade "$W/short.mp4" --strength 2
check "strength out of range: usage error naming the range" sh -c "[ $RC -eq 2 ] && grep -q 'strength' '$W/rr.err'"
rr grade "$W/short.mp4" -o "$W/out.avi"
check "a render format reel does not write: exit 1 saying which it does" sh -c "[ $RC -eq 1 ] && grep -q '.mov (ProRes 422 HQ) or an .mp4' '$W/rr.err'"
cp "$W/short.mp4" "$W/orig.mp4"
rr grade "$W/orig.mp4" -o "$W/orig.mp4"
check "-o over the camera original: refused, the original untouched" sh -c "[ $RC -eq 1 ] && cmp -s '$W/orig.mp4' '$W/short.mp4'"
rr grade "$REEL_MEDIA/real/goforward.wav"
check "audio only: exit 1, no video to grade" sh -c "[ $RC -eq 1 ] && grep -q 'goforward.wav: no video stream' '$W/rr.err'"
rr grade "$W/nosuch.mov"
check "a missing file: exit 1 naming it" sh -c "[ $RC -eq 1 ] && grep -q 'nosuch.mov' '$W/rr.err'"
rr grade "$REEL_MEDIA/bad/corrupted.mp4" --no-match -o "$W/corrupt_out.mp4"
check "a file with a corrupted middle still grades" test $RC -eq 0
check "no .part file is left behind" sh -c "! ls '$W'/*.part 2>/dev/null | grep -q ."

# --- the colour agent in a project ---------------------------------------------------------------
P=$W/film
mkdir -p "$P/footage" "$P/looks"
cp "$W/twoshots.mp4" "$P/footage/"
cp "$REEL_MEDIA/real/cityCC0.mpg" "$P/footage/"
cp "$REEL_MEDIA/real/flower.png" "$P/looks/"
rr init "$P" --footage "$P/footage" --look "$P/looks/flower.png"
small_delivery "$P"
rr --json run "$P"
check "project run: exit 0" test $RC -eq 0
for f in look.cube shots.ccc shots.edl grade.json deflicker.json before_after.jpg; do
    check "out/grades/$f written" test -s "$P/out/grades/$f"
done
check "the project's look was fitted to the brief's reference" sh -c "grep -q '\"look\": \"reference\"' '$P/out/grades/grade.json' && grep -q 'flower.png' '$P/out/grades/grade.json'"
check "the EDL holds every shot of every clip (2 + 2) with ASC comments" test "$(grep -c '^\*ASC_SOP' "$P/out/grades/shots.edl")" -eq 4
check "... each named by its file" test "$(grep -cE '^\* FROM CLIP NAME: (twoshots.mp4|cityCC0.mpg)$' "$P/out/grades/shots.edl")" -eq 4
cp "$P/out/grades/look.cube" "$W/noon.cube"
cp "$P/out/grades/before_after.jpg" "$W/noon.jpg"
rr set "$P" time_of_day=sunset
rr --json run "$P"
cp "$W/rr.out" "$W/ev.json"
is "time_of_day=sunset re-runs the colour task, then the render and QC of the new grade" "$(json_tasks "$W/ev.json" task_done)" "color qc render"
check "... and the look and the before/after sheet changed" sh -c "! cmp -s '$W/noon.cube' '$P/out/grades/look.cube' && ! cmp -s '$W/noon.jpg' '$P/out/grades/before_after.jpg'"
touch "$P/looks/flower.png"
rr --json run "$P"
is "a touched look reference re-runs the colour task alone (the same look: the render stays cached)" "$(json_tasks "$W/rr.out" task_done)" "color"

plan_done
