#!/usr/bin/env bash
# gen-shots-testset.sh: the shot/transition detector's evaluation set, built from REAL footage
# (.cache/media/real, made by scripts/fetch-media.sh) with exact, computed ground truth.
#
#   scripts/gen-shots-testset.sh           $REEL_MEDIA/shots/*.mp4 + *.truth.json
#   scripts/gen-shots-testset.sh --speed   also $REEL_MEDIA/shots/speed/{s360,s540,s1080,s2160}.mp4
#                                          (640x360, 960x540, 1920x1080: 20 s; 3840x2160: 10 s;
#                                          for bench/shots.sh)
#   scripts/gen-shots-testset.sh --heldout also $REEL_MEDIA/shots/heldout/: 3 sequences drawn at
#                                          random (fixed seeds) from the same real clips, never
#                                          used to tune the detector
#   scripts/gen-shots-testset.sh --tune    also $REEL_MEDIA/shots/tune/: 6 more random sequences
#                                          (other seeds), the set the detector is tuned on
#   scripts/gen-shots-testset.sh --list    describe the set and exit
#
#   REEL_MEDIA  media cache root (default: <repo>/.cache/media)
#
# How the truth is exact: every shot segment is cut out of a real clip and normalised on its own
# (trim, fps=25, scale+crop to 640x360, setsar=1, yuv420p, optional effect) into a lossless FFV1
# file with a known frame count (-frames:v N, checked with ffprobe -count_frames). A test video is
# then one filter graph over those segments: concat for hard cuts, xfade for dissolves (fade),
# fades through black/white (fadeblack/fadewhite) and wipes (wipeleft/slideleft/wipeup/...).
# An xfade of L frames at offset O (frames) shortens the output by L; its interval is [O, O+L).
# A cut's frame is the first frame of the new shot. Flashes are 1-3 frames brightened in place
# (eq=brightness=+0.6 or a white drawbox overlay) inside a shot, away from any transition.
# The final frame count of every video is checked against the truth with ffprobe -count_frames.
#
# Deterministic (-fflags +bitexact -flags +bitexact, libx264 -threads 1, FFV1 intermediates, no
# metadata) and idempotent (stamp file holding this script's version). Safe to run concurrently
# (flock). Needs ffmpeg, ffprobe, python3.
set -euo pipefail

VERSION="gen-shots-testset 1"
SPEED_VERSION="speed 2"
HELDOUT_VERSION="heldout 1"
TUNE_VERSION="tune 1"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MEDIA=${REEL_MEDIA:-$ROOT/.cache/media}
REAL=$MEDIA/real
SHOTS=$MEDIA/shots

WANT_SPEED=0
WANT_HELDOUT=0
WANT_TUNE=0
for a in "$@"; do case "$a" in --speed) WANT_SPEED=1 ;; --heldout) WANT_HELDOUT=1 ;; --tune) WANT_TUNE=1 ;; esac; done
case "${1:-}" in
--speed|--heldout|--tune) ;;
--list)
    cat <<'EOF'
shots/ (640x360 25 fps yuv420p H.264, truth in NAME.truth.json; frame numbers are 0-based)
  cuts_basic.mp4     hard cuts between real clips, a same-clip jump cut (box.mp4 a few s apart),
                     Megamind shot/reverse-shot cuts, a head fade-in from black
  dissolves.mp4      dissolves (xfade=fade) of 6, 10, 15, 20, 30, 45, 60 frames, plus cuts
  fades.mp4          fades through black and through white (8..50 frames), head fade-in,
                     tail fade-out, plus cuts
  wipes_mixed.mp4    wipeleft / slideleft / wipeup / slideright, dissolves, cuts
  hard_cases.mp4     low-contrast cut (eq brightness -0.3), flashes (1-3 frames), 4x fast motion,
                     synthetic slow pan and whip pan inside shots, a cut during a pan, same-clip cut
  mixed_long.mp4     ~80 s of everything, with flashes and a tail fade-out
  cityCC0.mpg        the real clip copied as is (720x405 25 fps), one real hard cut (hand-verified)
  Megamind.avi       the real clip copied as is (720x528 23.976 fps), real cuts (hand-verified)
shots/heldout/ (--heldout): heldout_1..3.mp4, ~14 shots each drawn with random.Random(seed):
  random sources and offsets, cuts, dissolves, fades, wipes/slides, flashes, dark shots, fast
  motion and pans, with the same exact truth; for scoring only, never for tuning
shots/tune/ (--tune): tune_1..6.mp4, drawn the same way with other seeds: the set the detector's
  rules and thresholds are tuned on (with the composed set above)
shots/speed/ (--speed): s360.mp4, s540.mp4, s1080.mp4: the first 20 s of hard_cases.mp4 at
  640x360, 960x540 and 1920x1080; s2160.mp4: its first 10 s at 3840x2160 (libx264 veryfast
  crf 20; upscaled from 640x360, so smoother than camera 4K)
EOF
    exit 0
    ;;
"") ;;
*)
    echo "usage: $0 [--speed] [--heldout] [--tune] | --list" >&2
    exit 2
    ;;
esac

for t in ffmpeg ffprobe python3; do
    command -v "$t" >/dev/null || { echo "gen-shots-testset.sh: $t is missing" >&2; exit 2; }
done
for f in vtest.avi tree.avi cityCC0.mpg box.mp4 cup.mp4 Megamind.avi; do
    [ -f "$REAL/$f" ] || { echo "gen-shots-testset.sh: $REAL/$f missing: run scripts/fetch-media.sh" >&2; exit 2; }
done

mkdir -p "$SHOTS"
exec 9>"$SHOTS/.lock"
flock 9

# the generator: composes the videos and their truth (HELDOUT=1 ONLY_HELDOUT=1: the held-out
# sequences alone)
gen_py() {
    REAL="$REAL" SHOTS="$SHOTS" python3 - <<'PY'
import json, os, random, subprocess, sys, hashlib

REAL = os.environ["REAL"]
SHOTS = os.environ["SHOTS"]
SEG = os.path.join(SHOTS, ".seg")
os.makedirs(SEG, exist_ok=True)
FPS = 25
W, H = 640, 360
BITEXACT = ["-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1"]


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write("command failed: %s\n%s\n" % (" ".join(cmd), r.stderr[-3000:]))
        sys.exit(1)
    return r.stdout


def count_frames(path):
    out = run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
               "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
    return int(out.strip().strip(","))


# ---- segments ----
def S(src, n, t=None, fr=None, speed=1, pan=None, dark=False, flashes=(), fadein=0, fadeout=0,
      note=""):
    """A shot: n frames at 25 fps from real clip src, starting at t seconds (after the clip's
    own start) or at decoded frame fr (frame-exact, for clips with real cuts)."""
    return dict(kind="seg", src=src, n=n, t=t, fr=fr, speed=speed, pan=pan, dark=dark,
                flashes=list(flashes), fadein=fadein, fadeout=fadeout, note=note)


def T(kind, length=0):
    return dict(kind="tr", tr=kind, length=length)


XFADE = {  # truth type, subtype for each xfade transition used
    "dissolve": ("dissolve", "fade", "fade"),
    "fadeblack": ("fade", "black", "fadeblack"),
    "fadewhite": ("fade", "white", "fadewhite"),
    "wipeleft": ("wipe", "wipeleft", "wipeleft"),
    "wiperight": ("wipe", "wiperight", "wiperight"),
    "wipeup": ("wipe", "wipeup", "wipeup"),
    "slideleft": ("wipe", "slideleft", "slideleft"),
    "slideright": ("wipe", "slideright", "slideright"),
}


def seg_filter(s):
    f = []
    if s["fr"] is not None:
        a = s["fr"]
        f.append("trim=start_frame=%d" % a)
    f.append("setpts=PTS-STARTPTS")
    if s["t"] is not None and s["t"] > 0:
        f.append("trim=start=%s" % s["t"])
        f.append("setpts=PTS-STARTPTS")
    if s["speed"] != 1:
        f.append("setpts=PTS/%s" % s["speed"])
    f.append("fps=%d" % FPS)
    if s["pan"]:
        # synthetic camera move over an upscaled picture: crop a 640x360 window whose x moves
        kind = s["pan"][0]
        f.append("scale=1600:900:force_original_aspect_ratio=increase,crop=1600:900")
        if kind == "pan":       # slow pan: px per second
            v = s["pan"][1]
            x = "min(%d\\,t*%d)" % (1600 - W, v)
        elif kind == "panleft":
            v = s["pan"][1]
            x = "max(0\\,%d-t*%d)" % (1600 - W, v)
        elif kind == "whip":    # whip pan: static, then 960 px in d seconds at t0, then static
            t0, d = s["pan"][1], s["pan"][2]
            x = "if(lt(t\\,%s)\\,0\\,if(lt(t\\,%s)\\,(t-%s)/%s*%d\\,%d))" % (
                t0, t0 + d, t0, d, 1600 - W, 1600 - W)
        else:
            raise SystemExit("bad pan " + kind)
        f.append("crop=%d:%d:x='%s':y=270" % (W, H, x))
    else:
        f.append("scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d" % (W, H, W, H))
    f.append("setsar=1")
    if s["dark"]:
        f.append("eq=brightness=-0.3:contrast=0.7")
    for (k, n, how) in s["flashes"]:
        en = "between(n\\,%d\\,%d)" % (k, k + n - 1)
        if how == "bright":
            f.append("eq=brightness=0.6:enable='%s'" % en)
        else:
            f.append("drawbox=x=0:y=0:w=iw:h=ih:color=white@0.85:t=fill:enable='%s'" % en)
    if s["fadein"]:
        f.append("fade=t=in:start_frame=0:nb_frames=%d" % s["fadein"])
    if s["fadeout"]:
        f.append("fade=t=out:start_frame=%d:nb_frames=%d" % (s["n"] - s["fadeout"], s["fadeout"]))
    f.append("format=yuv420p")
    return ",".join(f)


def make_seg(s):
    vf = seg_filter(s)
    key = hashlib.sha1(("%s|%s|%d" % (s["src"], vf, s["n"])).encode()).hexdigest()[:16]
    path = os.path.join(SEG, key + ".mkv")
    if not os.path.exists(path):
        tmp = path + ".tmp.mkv"
        run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-threads", "1", "-i",
             os.path.join(REAL, s["src"]), "-an", "-sn", "-vf", vf, "-frames:v", str(s["n"]),
             "-c:v", "ffv1", "-threads", "1"] + BITEXACT + [tmp])
        got = count_frames(tmp)
        if got != s["n"]:
            raise SystemExit("segment %s %s: wanted %d frames, got %d (source too short?)"
                             % (s["src"], vf, s["n"], got))
        os.rename(tmp, path)
    return path


def build(name, items, comment, outdir=SHOTS):
    segs = [it for it in items if it["kind"] == "seg"]
    # items alternate seg, tr, seg, tr, ..., seg
    assert items[0]["kind"] == "seg" and items[-1]["kind"] == "seg"
    for i, it in enumerate(items):
        assert it["kind"] == ("seg" if i % 2 == 0 else "tr"), (name, i)
    files = [make_seg(s) for s in segs]
    # one time base (1/25) everywhere: xfade insists that its two inputs agree, concat does not
    graph = ["[%d:v]settb=1/%d,setpts=N[a%d]" % (i, FPS, i) for i in range(len(files))]
    transitions, flashes, shots_src = [], [], []
    cur = "[a0]"
    curlen = segs[0]["n"]
    starts = [0]
    for i in range(1, len(segs)):
        tr = items[2 * i - 1]
        s = segs[i]
        prev = segs[i - 1]
        L = tr["length"]
        if tr["tr"] == "cut":
            graph.append("%s[a%d]concat=n=2:v=1:a=0,settb=1/%d[v%d]" % (cur, i, FPS, i))
            transitions.append({"type": "cut", "frame": curlen})
            starts.append(curlen)
            curlen += s["n"]
        else:
            ttype, sub, xf = XFADE[tr["tr"]]
            off = curlen - L
            graph.append("%s[a%d]xfade=transition=%s:duration=%s:offset=%s[v%d]"
                         % (cur, i, xf, "%.2f" % (L / FPS), "%.2f" % (off / FPS), i))
            transitions.append({"type": ttype, "subtype": sub, "start": off, "length": L})
            starts.append(off)
            curlen += s["n"] - L
        cur = "[v%d]" % i
    total = curlen
    # sanity: transitions must not overlap each other or a flash; each shot keeps >= 1 s clean
    for i, s in enumerate(segs):
        lin = items[2 * i - 1]["length"] if i > 0 else 0
        lout = items[2 * i + 1]["length"] if i + 1 < len(segs) else 0
        assert s["n"] - lin - lout - s["fadein"] - s["fadeout"] >= 25, (name, i, s)
        for (k, n, how) in s["flashes"]:
            assert lin + s["fadein"] + 5 <= k and k + n + 5 <= s["n"] - lout - s["fadeout"], (name, i, k)
            flashes.append({"frame": starts[i] + k, "length": n, "kind": how})
        if i == 0 and s["fadein"]:
            transitions.insert(0, {"type": "fade", "subtype": "in", "start": 0, "length": s["fadein"]})
        if i == len(segs) - 1 and s["fadeout"]:
            transitions.append({"type": "fade", "subtype": "out", "start": total - s["fadeout"],
                                "length": s["fadeout"]})
        if 0 < i < len(segs) - 1:
            assert not s["fadein"] and not s["fadeout"], (name, i)
        shots_src.append({"start": starts[i], "src": s["src"],
                          "from": ("frame %d" % s["fr"]) if s["fr"] is not None else "%ss" % (s["t"] or 0),
                          "frames": s["n"], "effect": s["note"]})
    out = os.path.join(outdir, name + ".mp4")
    tmp = os.path.join(outdir, name + ".tmp.mp4")
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y"]
    for f in files:
        cmd += ["-i", f]
    cmd += ["-filter_complex", ";".join(graph), "-map", cur]
    cmd += ["-c:v", "libx264", "-threads", "1", "-preset", "medium", "-crf", "18",
            "-pix_fmt", "yuv420p", "-r", str(FPS), "-an"] + BITEXACT + ["-movflags", "+faststart", tmp]
    run(cmd)
    got = count_frames(tmp)
    if got != total:
        raise SystemExit("%s: truth says %d frames, file has %d" % (name, total, got))
    os.rename(tmp, out)
    truth = {"clip": name + ".mp4", "fps": "25/1", "frames": total,
             "comment": comment + " Truth computed from segment lengths by scripts/gen-shots-testset.sh; "
                        "frame count checked with ffprobe -count_frames. Cut frame = first frame of "
                        "the new shot; gradual interval = [start, start+length).",
             "transitions": transitions, "flashes": flashes, "segments": shots_src}
    with open(os.path.join(outdir, name + ".truth.json"), "w") as fh:
        json.dump(truth, fh, indent=1)
        fh.write("\n")
    nc = sum(1 for t in transitions if t["type"] == "cut")
    print("  %-16s %5d frames (%5.1f s): %d cuts, %d gradual, %d flashes"
          % (name, total, total / FPS, nc, len(transitions) - nc, len(flashes)), file=sys.stderr)


# Megamind.avi shots (decoded frame numbers, hand-verified): [1,97] [98,153] [154,199] [200,269]
# cityCC0.mpg shots: [0,115] [116,189]
MM = [(2, 90), (99, 52), (155, 42), (201, 64)]   # (first frame, 25 fps frames available, safe)
CUT = T("cut")
V = {}
V["cuts_basic"] = ([
    S("vtest.avi", 100, t=5, fadein=25),
    CUT, S("box.mp4", 75, t=0.5),
    CUT, S("cityCC0.mpg", 90, fr=5),
    CUT, S("cup.mp4", 80, t=0.3),
    CUT, S("tree.avi", 100, t=2),
    CUT, S("Megamind.avi", 88, fr=MM[0][0]),
    CUT, S("Megamind.avi", 50, fr=MM[1][0]),
    CUT, S("Megamind.avi", 40, fr=MM[2][0]),
    CUT, S("vtest.avi", 90, t=30),
    CUT, S("box.mp4", 60, t=1.0, note="same clip as next shot, 7 s apart"),
    CUT, S("box.mp4", 70, t=8.5, note="jump cut within box.mp4"),
    CUT, S("cityCC0.mpg", 65, fr=118),
    CUT, S("Megamind.avi", 62, fr=MM[3][0]),
    CUT, S("cup.mp4", 70, t=4.0),
    CUT, S("vtest.avi", 100, t=55),
], "Hard cuts between real clips (vtest, box, cityCC0, cup, tree, Megamind shots), a jump cut inside "
   "box.mp4 (same set, 7.5 s apart), head fade-in from black.")

V["dissolves"] = ([
    S("vtest.avi", 100, t=8),
    T("dissolve", 6), S("cup.mp4", 80, t=0.2),
    T("dissolve", 10), S("cityCC0.mpg", 80, fr=10),
    T("dissolve", 15), S("box.mp4", 90, t=2),
    CUT, S("tree.avi", 90, t=5),
    T("dissolve", 20), S("Megamind.avi", 85, fr=MM[0][0]),
    T("dissolve", 30), S("vtest.avi", 110, t=40),
    T("dissolve", 45), S("cup.mp4", 130, t=2.5),
    T("dissolve", 60), S("box.mp4", 150, t=6),
    CUT, S("cityCC0.mpg", 70, fr=117),
    T("dissolve", 25), S("Megamind.avi", 62, fr=MM[3][0]),
    T("dissolve", 12), S("vtest.avi", 100, t=65),
], "Dissolves (xfade=fade) of 6..60 frames between real clips, two hard cuts.")

V["fades"] = ([
    S("box.mp4", 110, t=0, fadein=30),
    T("fadeblack", 20), S("vtest.avi", 100, t=12),
    T("fadewhite", 8), S("cityCC0.mpg", 80, fr=20),
    CUT, S("cup.mp4", 90, t=1),
    T("fadeblack", 40), S("tree.avi", 110, t=10),
    T("fadewhite", 24), S("Megamind.avi", 80, fr=MM[0][0] + 5),
    T("fadeblack", 10), S("vtest.avi", 90, t=48),
    T("fadewhite", 50), S("box.mp4", 120, t=9),
    CUT, S("cityCC0.mpg", 70, fr=118),
    T("fadeblack", 30), S("cup.mp4", 110, t=3.5, fadeout=25),
], "Fades through black (xfade=fadeblack) and white (xfade=fadewhite) of 8..50 frames, head "
   "fade-in and tail fade-out (fade filter), two hard cuts.")

V["wipes_mixed"] = ([
    S("cityCC0.mpg", 90, fr=0),
    T("wipeleft", 15), S("vtest.avi", 100, t=20),
    CUT, S("box.mp4", 80, t=3),
    T("slideleft", 20), S("tree.avi", 90, t=15),
    T("dissolve", 18), S("Megamind.avi", 50, fr=MM[1][0]),
    CUT, S("Megamind.avi", 40, fr=MM[2][0]),
    CUT, S("cup.mp4", 90, t=1.5),
    T("wipeup", 25), S("vtest.avi", 90, t=70),
    T("slideright", 12), S("cityCC0.mpg", 70, fr=118),
    T("wipeleft", 30), S("box.mp4", 100, t=11),
], "Wipes (wipeleft, wipeup) and slides (slideleft, slideright) of 12..30 frames, a dissolve, "
   "hard cuts.")

V["hard_cases"] = ([
    S("vtest.avi", 110, t=2, flashes=[(50, 1, "white")], note="1-frame white flash"),
    CUT, S("cup.mp4", 100, t=0, dark=True, note="darkened eq=brightness=-0.3:contrast=0.7"),
    CUT, S("box.mp4", 100, t=4, dark=True, note="darkened: low-contrast cut"),
    CUT, S("box.mp4", 90, t=0, speed=4, note="4x fast motion (setpts=0.25*PTS), must not cut"),
    CUT, S("vtest.avi", 150, t=15, pan=("pan", 160), flashes=[(100, 2, "bright")],
           note="slow synthetic pan right, 2-frame bright flash"),
    CUT, S("cityCC0.mpg", 100, fr=2, pan=("panleft", 200), note="cut during pan (pan to pan)"),
    CUT, S("tree.avi", 125, t=3, pan=("whip", 2.0, 0.4),
           note="whip pan (960 px in 10 frames) inside the shot, must not cut"),
    CUT, S("cup.mp4", 95, t=0, speed=2, flashes=[(50, 3, "white")],
           note="2x fast motion with a 3-frame white flash"),
    CUT, S("Megamind.avi", 85, fr=MM[0][0], flashes=[(40, 1, "bright")], note="1-frame bright flash"),
    CUT, S("vtest.avi", 80, t=38, note="same set as a vtest shot above"),
    CUT, S("box.mp4", 100, t=1, pan=("whip", 1.6, 0.32), note="whip pan, must not cut"),
    CUT, S("cityCC0.mpg", 70, fr=117, flashes=[(30, 2, "white")], note="2-frame white flash"),
    T("dissolve", 20), S("vtest.avi", 125, t=60, pan=("pan", 300), flashes=[(80, 1, "white")],
                          note="fast pan with a 1-frame flash"),
], "Hard cases: low-contrast cut between darkened shots, flashes of 1-3 frames (must be flashes, "
   "not cuts), 4x fast motion, synthetic slow pan and whip pans (crop window moving over an "
   "upscaled real clip) that must not cut, a cut during a pan, a dissolve into a pan.")

V["mixed_long"] = ([
    S("Megamind.avi", 85, fr=MM[0][0], fadein=20),
    CUT, S("Megamind.avi", 50, fr=MM[1][0]),
    CUT, S("Megamind.avi", 40, fr=MM[2][0]),
    CUT, S("Megamind.avi", 62, fr=MM[3][0]),
    T("dissolve", 30), S("vtest.avi", 150, t=25, flashes=[(90, 1, "bright")]),
    T("fadeblack", 16), S("box.mp4", 120, t=5),
    CUT, S("cup.mp4", 100, t=2),
    T("wipeleft", 20), S("cityCC0.mpg", 100, fr=8),
    T("dissolve", 8), S("tree.avi", 120, t=12, flashes=[(60, 2, "white")]),
    CUT, S("vtest.avi", 120, t=75 - 5.5),
    T("fadewhite", 14), S("box.mp4", 90, t=0, speed=4),
    CUT, S("cup.mp4", 100, t=0.5, dark=True),
    CUT, S("vtest.avi", 100, t=33, dark=True),
    T("slideleft", 16), S("cityCC0.mpg", 72, fr=117),
    T("dissolve", 30), S("Megamind.avi", 80, fr=MM[0][0] + 6),
    CUT, S("box.mp4", 130, t=6, flashes=[(70, 1, "white")]),
    T("fadeblack", 24), S("tree.avi", 120, t=18),
    CUT, S("cup.mp4", 140, t=1, pan=("whip", 2.5, 0.4)),
    T("dissolve", 22), S("vtest.avi", 200, t=45, fadeout=40),
], "Everything mixed over ~80 s: cuts, dissolves, fades black/white, wipe, slide, flashes, fast "
   "motion, a whip pan, low-contrast cut, head fade-in and tail fade-out.")

if os.environ.get("ONLY_HELDOUT") != "1":
    for name in ["cuts_basic", "dissolves", "fades", "wipes_mixed", "hard_cases", "mixed_long"]:
        items, comment = V[name]
        build(name, items, comment)

# ---- held-out sequences: random draws (fixed seeds) from the same clips ----
DUR = {"vtest.avi": 79.5, "tree.avi": 29.6, "box.mp4": 15.1, "cup.mp4": 8.1}
FRAMED = [("cityCC0.mpg", 0, 116), ("cityCC0.mpg", 117, 73)] + [("Megamind.avi", a, n) for a, n in MM]


def random_transition(rnd, room):
    r = rnd.random()
    if r < 0.45 or room < 12:
        return CUT
    if r < 0.70:
        return T("dissolve", rnd.randint(6, min(60, room)))
    if r < 0.85:
        return T(rnd.choice(["fadeblack", "fadewhite"]), rnd.randint(8, min(40, room)))
    return T(rnd.choice(["wipeleft", "wiperight", "wipeup", "slideleft", "slideright"]),
             rnd.randint(12, min(30, room)))


def random_shot(rnd, n, last_src, lin, lout, edge):
    while True:
        if rnd.random() < 0.3:
            src, first, avail = rnd.choice(FRAMED)
            if src == last_src or avail < n:
                continue
            s = S(src, n, fr=first + rnd.randint(0, avail - n))
        else:
            src = rnd.choice(sorted(DUR))
            speed = 2 if rnd.random() < 0.12 else 1
            span = n / FPS * speed + 0.5
            if src == last_src or span > DUR[src]:
                continue
            pan = ("pan", rnd.choice([100, 200, 300])) if speed == 1 and rnd.random() < 0.12 else None
            s = S(src, n, t=round(rnd.uniform(0, DUR[src] - span), 2), speed=speed, pan=pan,
                  dark=rnd.random() < 0.1)
        clean0, clean1 = lin + s["fadein"] + 5, n - lout - s["fadeout"] - 5
        if rnd.random() < 0.2 and clean1 - clean0 > 10:
            k = rnd.randint(clean0, clean1 - 3)
            s["flashes"] = [(k, rnd.randint(1, 3), rnd.choice(["white", "bright"]))]
        return s


def heldout(seed, nshots):
    rnd = random.Random(seed)
    trs = [random_transition(rnd, 60) for _ in range(nshots - 1)]
    items, last = [], None
    for i in range(nshots):
        lin = trs[i - 1]["length"] if i else 0
        lout = trs[i]["length"] if i < nshots - 1 else 0
        n = lin + lout + rnd.randint(30, 110)
        s = random_shot(rnd, min(n, 180), last, lin, lout, i in (0, nshots - 1))
        if s["n"] - lin - lout < 25:
            s["n"] = lin + lout + 25
        if i == 0 and rnd.random() < 0.3:
            s["fadein"] = rnd.randint(10, 25)
        if i == nshots - 1 and rnd.random() < 0.3:
            s["fadeout"] = rnd.randint(10, 25)
        s["n"] = max(s["n"], lin + lout + s["fadein"] + s["fadeout"] + 25)
        s["flashes"] = [f for f in s["flashes"]
                        if lin + s["fadein"] + 5 <= f[0] and f[0] + f[1] + 5 <= s["n"] - lout - s["fadeout"]]
        last = s["src"]
        items += ([trs[i - 1]] if i else []) + [s]
    return items


if os.environ.get("HELDOUT") == "1":
    HD = os.path.join(SHOTS, "heldout")
    os.makedirs(HD, exist_ok=True)
    for k, seed in enumerate([20261124, 7, 4242], 1):
        build("heldout_%d" % k, heldout(seed, 14),
              "Held-out sequence drawn with random.Random(%d) from the real clips; never used to tune "
              "the detector." % seed, outdir=HD)

if os.environ.get("TUNE") == "1":
    TD = os.path.join(SHOTS, "tune")
    os.makedirs(TD, exist_ok=True)
    for k, seed in enumerate([11, 23, 31, 47, 59, 71], 1):
        build("tune_%d" % k, heldout(seed, 14),
              "Tuning sequence drawn with random.Random(%d) from the real clips." % seed, outdir=TD)
PY
}

STAMP=$SHOTS/.stamp
if [ "$(cat "$STAMP" 2>/dev/null)" != "$VERSION" ]; then
    echo "gen-shots-testset.sh: building $SHOTS" >&2
    rm -rf "$SHOTS/.seg" "$SHOTS"/*.mp4 "$SHOTS"/*.truth.json "$SHOTS/speed"
    gen_py

    # the real clips with real cuts, copied as they are, with hand-verified truth
    cp -f "$REAL/cityCC0.mpg" "$SHOTS/cityCC0.mpg"
    cp -f "$REAL/Megamind.avi" "$SHOTS/Megamind.avi"
    cat >"$SHOTS/cityCC0.truth.json" <<'EOF'
{
 "clip": "cityCC0.mpg",
 "fps": "25/1",
 "frames": 190,
 "comment": "Real footage, one real hard cut. Found with ffmpeg select=gt(scene,0.12) (the only frame above 0.12; score 0.41) and verified by eye on PNG tiles of decoded frames 112..119 (drawtext %{n} burned in before select): frames 0..115 look up at curved glass towers, frames 116..189 at two straight-edged towers. Frame numbers are decoded-frame indices (0-based); the stream starts at pts 0.54 s, so 116 is t=4.64 s in ffmpeg's pts_time.",
 "transitions": [{"type": "cut", "frame": 116}],
 "flashes": []
}
EOF
    cat >"$SHOTS/Megamind.truth.json" <<'EOF'
{
 "clip": "Megamind.avi",
 "fps": "2997/125",
 "frames": 270,
 "comment": "Real animated film excerpt. Scene scores (select=gt(scene,0.12), showinfo) peak only at decoded frames 1, 98, 154, 200 (0.30..0.39; all other frames < 0.02); each verified by eye on a PNG tile of frames n-1..n+2 with the decoded index burned in: 0 is a single black leader frame, 1..97 woman at a candle-lit table, 98..153 man in a turtleneck over her shoulder, 154..199 woman again (reverse shot), 200..269 close-up of a bald man with glasses. The cut at 1 ends a 1-frame black leader and is marked optional (neither a miss nor a false alarm). Indices are decoded-frame order; note the AVI pts jump from 0 to 2 after frame 0, so a timestamp-based frame count gives pts = index + 1 from frame 1 on.",
 "transitions": [
  {"type": "cut", "frame": 1, "optional": true},
  {"type": "cut", "frame": 98},
  {"type": "cut", "frame": 154},
  {"type": "cut", "frame": 200}
 ],
 "flashes": []
}
EOF
    rm -rf "$SHOTS/.seg"
    echo "$VERSION" >"$STAMP"
fi

# random_set DIR VERSION ENV: build $SHOTS/DIR (ENV=1 tells the generator which seeds) unless its
# stamp already holds VERSION
random_set() {
    local stamp=$SHOTS/$1/.stamp
    [ "$(cat "$stamp" 2>/dev/null)" != "$2" ] || return 0
    echo "gen-shots-testset.sh: building $SHOTS/$1" >&2
    rm -rf "${SHOTS:?}/$1"
    export "$3=1"
    ONLY_HELDOUT=1 gen_py
    unset "$3"
    rm -rf "$SHOTS/.seg"
    echo "$2" >"$stamp"
}
if [ "$WANT_HELDOUT" = 1 ]; then random_set heldout "$HELDOUT_VERSION" HELDOUT; fi
if [ "$WANT_TUNE" = 1 ]; then random_set tune "$TUNE_VERSION" TUNE; fi

if [ "$WANT_SPEED" = 1 ]; then
    SP=$SHOTS/speed
    SSTAMP=$SP/.stamp
    if [ "$(cat "$SSTAMP" 2>/dev/null)" != "$SPEED_VERSION" ]; then
        echo "gen-shots-testset.sh: building $SP" >&2
        mkdir -p "$SP"
        SRC=$SHOTS/hard_cases.mp4
        rm -f "$SP"/s1440.mp4
        for spec in s360:640:360:500 s540:960:540:500 s1080:1920:1080:500 s2160:3840:2160:250; do
            IFS=: read -r n w h frames <<<"$spec"
            ffmpeg -nostdin -v error -y -i "$SRC" -an -frames:v "$frames" \
                -vf "scale=$w:$h:flags=bicubic,setsar=1,format=yuv420p" \
                -c:v libx264 -threads 1 -preset veryfast -crf 20 \
                -fflags +bitexact -flags +bitexact -map_metadata -1 -movflags +faststart "$SP/$n.tmp.mp4"
            mv -f "$SP/$n.tmp.mp4" "$SP/$n.mp4"
        done
        echo "$SPEED_VERSION" >"$SSTAMP"
    fi
fi
exit 0
