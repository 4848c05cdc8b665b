"""restore_score.py: de-clipping and de-clicking, reel against ffmpeg's adeclip and adeclick, side
by side in one run (called by bench/restore.sh; see there for what it measures).

usage: restore_score.py REEL MEDIA_REAL TMPDIR
"""
import os
import subprocess
import sys
import time

import numpy as np

SET48 = ["Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left", "Rear_Right",
         "Side_Left", "Side_Right"]
SET16 = ["cards-001", "cards-002", "cards-003", "cards-004", "cards-005", "numbers", "goforward"]
CLIP_PCT = (1, 3, 8)
ADECLIP = ["adeclip", "adeclip=a=16", "adeclip=w=100:a=16", "adeclip=t=5"]
ADECLICK = ["adeclick", "adeclick=t=4", "adeclick=t=8", "adeclick=w=100:t=4"]
SPEED_SECS = 60


def die(msg):
    sys.stderr.write("restore.sh: %s\n" % msg)
    sys.exit(2)


def decode(path, rate):
    p = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"],
                       capture_output=True)
    if p.returncode:
        die("cannot decode %s: %s" % (path, p.stderr.decode(errors="replace")[:200]))
    return np.frombuffer(p.stdout, dtype=np.float32).astype(np.float64)


def write(path, x, rate):
    p = subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "-",
                        "-c:a", "pcm_f32le", path], input=x.astype(np.float32).tobytes(), capture_output=True)
    if p.returncode:
        die("cannot write %s" % path)


def reference(media, names, rate):
    gap = np.zeros(int(0.4 * rate))
    parts = []
    for n in names:
        parts += [decode(os.path.join(media, n + ".wav"), rate), gap]
    x = np.concatenate(parts)
    return 0.5 * x / np.max(np.abs(x))


def add_clicks(x, rate, rng):
    """10 clicks a second: 1 sample to 0.33 ms, Hann-shaped or square, either sign, 3 to 30 times
    the local RMS (over 10 ms), at random places."""
    y = x.copy()
    n = len(x)
    w10 = int(0.01 * rate)
    for _ in range(int(10 * n / rate)):
        at = int(rng.integers(w10, n - w10))
        width = int(rng.integers(1, max(2, rate // 3000)))
        local = np.sqrt(np.mean(x[at - w10:at + w10] ** 2)) + 1e-3
        shape = np.hanning(width + 2)[1:-1] if rng.random() < 0.5 else np.ones(width)
        y[at:at + width] += rng.choice([-1, 1]) * rng.uniform(3, 30) * local * shape
    return y


def sdr(y, ref):
    n = min(len(y), len(ref))
    e = y[:n] - ref[:n]
    return 10 * np.log10(np.sum(ref[:n] ** 2) / max(np.sum(e ** 2), 1e-30))


def lag_of(y, ref):
    """The lag (samples, positive = late) where y's cross-correlation with ref peaks, within +-2000."""
    n = min(len(y), len(ref), 1 << 18)
    m = 1 << int(np.ceil(np.log2(2 * n)))
    c = np.fft.irfft(np.fft.rfft(y[:n], m) * np.conj(np.fft.rfft(ref[:n], m)), m)
    c = np.concatenate([c[-2000:], c[:2001]])
    return int(np.argmax(np.abs(c))) - 2000


def run(cmd):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode == 0, time.time() - t, p.stderr.decode(errors="replace")[:200]


def reel_cmd(reel, src, dst, declick):
    cmd = [reel, "-q", "dialogue", src, "--preset", "none", "--dehum", "off", "--bits", "32f", "-o", dst]
    return cmd + (["--declick"] if declick else ["--declip", "auto"])


def ff_cmd(src, dst, filt):
    return ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src, "-af", filt, "-c:a", "pcm_f32le", dst]


def contest(reel, tmp, tag, src, ref, rate, declick):
    """reel and the ffmpeg grid on src; SDR against ref: (reel, best ffmpeg, its setting, lag note)."""
    out = os.path.join(tmp, "reel-%s.wav" % tag)
    ok, _, err = run(reel_cmd(reel, src, out, declick))
    r = sdr(decode(out, rate), ref) if ok else float("nan")
    if not ok:
        print("  reel failed on %s: %s" % (tag, err))
    best, best_set, lags = -1e9, "", set()
    for f in (ADECLICK if declick else ADECLIP):
        o = os.path.join(tmp, "ff-%s.wav" % tag)
        ok, _, err = run(ff_cmd(src, o, f))
        if not ok:
            print("  ffmpeg %s failed on %s: %s" % (f, tag, err))
            continue
        y = decode(o, rate)
        lag = lag_of(y, ref)
        if lag:
            lags.add(lag)
            y = np.roll(y, -lag)  # scored as it should have come out
        v = sdr(y, ref)
        if v > best:
            best, best_set = v, f
    return r, best, best_set, (" (ffmpeg realigned by %s)" % sorted(lags)) if lags else ""


def speed(reel, tmp, src, rate, declick):
    long_src = os.path.join(tmp, "speed-in.wav")
    x = decode(src, rate)
    write(long_src, np.resize(x, SPEED_SECS * rate), rate)
    out = os.path.join(tmp, "speed-out.wav")
    pin = ["taskset", "-c", "0"]
    t_reel = min(run(pin + reel_cmd(reel, long_src, out, declick))[1] for _ in range(3))
    filt = "adeclick" if declick else "adeclip"
    t_ff = min(run(pin + ff_cmd(long_src, out, filt))[1] for _ in range(3))
    return SPEED_SECS / t_reel, SPEED_SECS / t_ff


def main(reel, media, tmp):
    rng = np.random.default_rng(2026)
    rows_clip, rows_click, rows_clean = [], [], []
    files = {}
    for rate, names in ((48000, SET48), (16000, SET16)):
        tag = "%dk" % (rate // 1000)
        ref = reference(media, names, rate)
        files[rate] = ref
        refp = os.path.join(tmp, "ref-%s.wav" % tag)
        write(refp, ref, rate)
        for pct in CLIP_PCT:
            lv = np.quantile(np.abs(ref[ref != 0]), 1 - pct / 100)
            c = np.clip(ref, -lv, lv)
            p = os.path.join(tmp, "clip-%s-%d.wav" % (tag, pct))
            write(p, c, rate)
            r, f, fs, note = contest(reel, tmp, "clip-%s-%d" % (tag, pct), p, ref, rate, False)
            rows_clip.append((tag, pct, sdr(c, ref), f, fs, r, note))
        c = add_clicks(ref, rate, rng)
        p = os.path.join(tmp, "click-%s.wav" % tag)
        write(p, c, rate)
        r, f, fs, note = contest(reel, tmp, "click-%s" % tag, p, ref, rate, True)
        rows_click.append((tag, sdr(c, ref), f, fs, r, note))
        r, f, fs, note = contest(reel, tmp, "clean-%s" % tag, refp, ref, rate, True)
        rows_clean.append((tag, f, fs, r, note))
    print("de-clipping: SDR (dB) against the unclipped speech; clip levels where 1, 3, 8 % of samples clip")
    print("%-5s %5s %8s %10s %-24s %8s %8s" % ("rate", "clip%", "input", "ff best", "(setting)", "reel", "delta"))
    deltas = []
    for tag, pct, inp, f, fs, r, note in rows_clip:
        deltas.append(r - f)
        print("%-5s %5d %8.2f %10.2f %-24s %8.2f %+8.2f%s" % (tag, pct, inp, f, fs, r, r - f, note))
    print()
    print("de-clicking: SDR (dB) against the speech without clicks (10 clicks/s, 3-30x local RMS)")
    print("%-5s %8s %10s %-24s %8s %8s" % ("rate", "input", "ff best", "(setting)", "reel", "delta"))
    cdel = []
    for tag, inp, f, fs, r, note in rows_click:
        cdel.append(r - f)
        print("%-5s %8.2f %10.2f %-24s %8.2f %+8.2f%s" % (tag, inp, f, fs, r, r - f, note))
    print()
    print("clean speech through the de-clicker: SDR (dB) of the output against its input (higher: less harm)")
    print("%-5s %10s %-24s %8s" % ("rate", "ff best", "(setting)", "reel"))
    harm = []
    for tag, f, fs, r, note in rows_clean:
        harm.append(r)
        print("%-5s %10.2f %-24s %8.2f%s" % (tag, f, fs, r, note))
    print()
    v48, f48 = speed(reel, tmp, os.path.join(tmp, "clip-48k-3.wav"), 48000, False)
    c48, fc48 = speed(reel, tmp, os.path.join(tmp, "click-48k.wav"), 48000, True)
    print("speed, one core (taskset -c 0), %d s at 48 kHz, best of 3 (the whole reel command: decode, scans, write):"
          % SPEED_SECS)
    print("  de-clip  (3 %% clipped): reel %6.1fx real time, adeclip %6.1fx" % (v48, f48))
    print("  de-click (10 clicks/s):  reel %6.1fx real time, adeclick %6.1fx" % (c48, fc48))
    print()
    ok = all(d >= 1 for d in deltas)
    print("TARGET declip: reel - best adeclip >= 1 dB SDR at every clip level and rate: worst %+.2f %s"
          % (min(deltas), "PASS" if ok else "FAIL"))
    ok = all(d >= 1 for d in cdel)
    print("TARGET declick: reel - best adeclick >= 1 dB SDR at both rates: worst %+.2f %s"
          % (min(cdel), "PASS" if ok else "FAIL"))
    ok = all(h >= 30 for h in harm)
    print("TARGET declick_harm: clean speech through reel --declick keeps SDR >= 30 dB against its input: worst %.2f %s"
          % (min(harm), "PASS" if ok else "FAIL"))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        die(__doc__.strip())
    main(*sys.argv[1:])
