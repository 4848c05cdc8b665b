#!/usr/bin/python3
"""denoise_score.py: test signals and SI-SDR scoring for bench/denoise.sh (numpy).

usage:
  denoise_score.py gen MEDIA_REAL OUTDIR
      builds the clean references (16 kHz: cards-001..005, numbers, goforward; 48 kHz: the eight
      ALSA channel announcements; 0.5 s of digital silence before, 0.4 s between, 0.5 s after),
      the four noises (pink, babble, hum, fan) at each reference's rate and length (fixed seeds)
      and their mixtures at SNR 0, 5, 10, 20 dB, as 32-bit float WAVs, listed in
      OUTDIR/mixtures.tsv (id rate noise snr seconds mixture reference).
  denoise_score.py score ID RATE NOISE SNR REFERENCE OUTPUTS.tsv
      OUTPUTS.tsv lines: contestant, setting, filter, status, path (status "ok" or why it failed).
      Prints one TSV line per output: id rate noise snr contestant setting filter sisdr lag
      samples status sisdr_aligned (the last with the output's lag taken out; informative).
  denoise_score.py report RESULTS.tsv SPEED.tsv
      the per-mixture table, the per-SNR and per-noise summaries and the TARGET lines.
  denoise_score.py best-afftdn RESULTS.tsv ID
      the filter chain of the best afftdn setting on mixture ID.
  denoise_score.py self-test
      checks SI-SDR and the lag finder on synthetic cases.

SI-SDR (Le Roux, Wisdom, Erdogan, Hershey, "SDR - half-baked or well done?", ICASSP 2019): both
signals made zero-mean, trimmed to the shorter length; target = <est,ref>/<ref,ref> * ref;
SI-SDR = 10 log10(|target|^2 / |est - target|^2). Nothing is realigned: a delayed output is scored
as it is, and its lag (the peak of |cross-correlation| within +-2000 samples; positive = the
output is late) is reported. ffmpeg 5.1's afftdn and anlmdn both delay their output (afftdn by
25 ms, anlmdn by p + r = 8 ms), which alone drives their plain SI-SDR far below 0 dB; so the target
is judged against "ff best*", the best ffmpeg score with each output shifted back by its own lag
(reel's output is never shifted: it must come out aligned).
"""
import os
import subprocess
import sys

try:
    import numpy as np
except ImportError:  # denoise.sh checks first; this is for direct use
    sys.exit("denoise_score.py: numpy is missing (Debian: apt-get install python3-numpy)")

SNRS = (0, 5, 10, 20)
NOISES = ("pink", "babble", "hum", "fan")
MAXLAG = 2000
SET16 = ["cards-001.wav", "cards-002.wav", "cards-003.wav", "cards-004.wav", "cards-005.wav", "numbers.wav",
         "goforward.wav"]
SET48 = ["Front_Center.wav", "Front_Left.wav", "Front_Right.wav", "Rear_Center.wav", "Rear_Left.wav",
         "Rear_Right.wav", "Side_Left.wav", "Side_Right.wav"]
LIBRIVOX = ["librivox-0870.wav", "librivox-0880.wav"]


def die(msg):
    sys.stderr.write("denoise_score.py: %s\n" % msg)
    sys.exit(2)


# ---------------------------------------------------------------- WAV in and out

def decode(path, rate, fatal=True):
    """Any audio file -> mono float32 at RATE, through ffmpeg (ValueError when not FATAL)."""
    p = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-ac", "1", "-ar", str(rate),
                        "-f", "f32le", "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        msg = "ffmpeg cannot decode %s: %s" % (path, p.stderr.decode(errors="replace").strip().replace("\n", " "))
        if not fatal:
            raise ValueError(msg)
        die(msg)
    return np.frombuffer(p.stdout, dtype="<f4").astype(np.float64)


def read_wav(path):
    """RIFF/RF64 WAV (PCM 16/24/32, float 32/64, plain or EXTENSIBLE) -> (rate, channels, float64 [n, ch])."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    pos, fmt, body, ds64 = 12, None, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        if cid == b"ds64":
            ds64 = int.from_bytes(data[pos + 16:pos + 24], "little")
        if cid == b"fmt ":
            fmt = data[pos + 8:pos + 8 + size]
        elif cid == b"data":
            if size == 0xFFFFFFFF and ds64 is not None:
                size = ds64
            body = data[pos + 8:min(len(data), pos + 8 + size)]
            break
        pos += 8 + size + (size & 1)
    if fmt is None or body is None:
        raise ValueError("no fmt or data chunk")
    tag, ch, rate = int.from_bytes(fmt[0:2], "little"), int.from_bytes(fmt[2:4], "little"), \
        int.from_bytes(fmt[4:8], "little")
    bits = int.from_bytes(fmt[14:16], "little")
    if tag == 0xFFFE and len(fmt) >= 26:
        tag = int.from_bytes(fmt[24:26], "little")
    width = bits // 8
    usable = len(body) // (width * ch) * width * ch
    body = body[:usable]
    if tag == 3 and bits == 32:
        x = np.frombuffer(body, dtype="<f4").astype(np.float64)
    elif tag == 3 and bits == 64:
        x = np.frombuffer(body, dtype="<f8").astype(np.float64)
    elif tag == 1 and bits == 16:
        x = np.frombuffer(body, dtype="<i2") / 32768.0
    elif tag == 1 and bits == 24:
        b = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        x = (np.where(v >= 1 << 23, v - (1 << 24), v)) / 8388608.0
    elif tag == 1 and bits == 32:
        x = np.frombuffer(body, dtype="<i4") / 2147483648.0
    else:
        raise ValueError("format tag %d, %d bits" % (tag, bits))
    return rate, ch, x.reshape(-1, ch)


def write_wav(path, x, rate):
    """mono float32 WAV (WAVE_FORMAT_IEEE_FLOAT, with a fact chunk)."""
    b = np.asarray(x, dtype="<f4").tobytes()
    n = len(b) // 4
    fmt = (3).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little") + \
        (rate * 4).to_bytes(4, "little") + (4).to_bytes(2, "little") + (32).to_bytes(2, "little") + \
        (0).to_bytes(2, "little")
    chunks = b"fmt " + len(fmt).to_bytes(4, "little") + fmt + b"fact" + (4).to_bytes(4, "little") + \
        n.to_bytes(4, "little") + b"data" + len(b).to_bytes(4, "little") + b
    with open(path, "wb") as f:
        f.write(b"RIFF" + (4 + len(chunks)).to_bytes(4, "little") + b"WAVE" + chunks)


# ---------------------------------------------------------------- signals

def concat(clips, rate, lead=0.5, gap=0.4, tail=0.5):
    parts = [np.zeros(int(round(lead * rate)))]
    for i, c in enumerate(clips):
        if i:
            parts.append(np.zeros(int(round(gap * rate))))
        parts.append(c)
    parts.append(np.zeros(int(round(tail * rate))))
    return np.concatenate(parts)


def rms(x):
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def shaped(rng, n, rate, gain):
    """white Gaussian noise shaped in the frequency domain by gain(f) (f in Hz, array)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / rate)
    spec *= gain(f)
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return x / rms(x)


def smooth_random(rng, n, rate, hz):
    """a slow random curve, unit RMS, zero mean: white noise low-passed below HZ."""
    return shaped(rng, n, rate, lambda f: (f < hz).astype(float))


def pink(rng, n, rate):
    # 1/f power (-3 dB/octave amplitude) from 20 Hz; flat below (kept finite), DC removed
    return shaped(rng, n, rate, lambda f: 1.0 / np.sqrt(np.maximum(f, 20.0)))


def talker(rng, clips, n, rate):
    """one background talker: CLIPS in random order with short random pauses, looped to N samples,
    started at a random point, normalised to unit RMS."""
    parts = []
    while sum(len(p) for p in parts) < 2 * n:
        for i in rng.permutation(len(clips)):
            parts.append(clips[i])
            parts.append(np.zeros(int(rate * rng.uniform(0.05, 0.25))))
    s = np.concatenate(parts)
    start = int(rng.integers(0, len(s) - n))
    s = s[start:start + n]
    return s / rms(s)


def babble(rng, n, rate, talker_sets):
    x = np.zeros(n)
    for clips in talker_sets:
        x += talker(rng, clips, n, rate)
    return x / rms(x)


def hum(rng, n, rate, mains):
    """a ground-loop buzz: MAINS (+0.04 %) with harmonics to 1 kHz, odd ones stronger, each with its own
    slow amplitude wobble; the frequency drifts slowly by +-0.01 Hz; white noise 30 dB under it."""
    t = np.arange(n) / rate
    f0 = mains * 1.0004 + 0.01 * np.sin(2 * np.pi * 0.05 * t + rng.uniform(0, 2 * np.pi))
    phase = 2 * np.pi * np.cumsum(f0) / rate
    x = np.zeros(n)
    for k in range(1, int(1000 // mains) + 1):
        a = (1.0 if k % 2 else 0.3) * k ** -0.7
        wob = 1 + 0.15 * np.sin(2 * np.pi * rng.uniform(0.1, 0.5) * t + rng.uniform(0, 2 * np.pi))
        x += a * wob * np.sin(k * phase + rng.uniform(0, 2 * np.pi))
    x /= rms(x)
    return x + 10 ** (-30 / 20) * rng.standard_normal(n)


def fan(rng, n, rate):
    """air conditioner / fan: broadband noise, flat 20-200 Hz and -6 dB/octave above (high-passed
    under 20 Hz), plus blade-pass tones at ~120 Hz and 3 harmonics whose speed wanders (+-0.5 Hz)
    and whose amplitude is unsteady; the tones together 6 dB under the broadband."""
    def gain(f):
        g = np.where(f > 200, 200.0 / np.maximum(f, 1e-9), 1.0)
        return g * np.where(f < 20, (f / 20.0) ** 2, 1.0)
    broad = shaped(rng, n, rate, gain)
    bp = 120 + 0.5 * smooth_random(rng, n, rate, 0.2)
    phase = 2 * np.pi * np.cumsum(bp) / rate
    tones = np.zeros(n)
    for k, a in ((1, 1.0), (2, 0.5), (3, 0.3), (4, 0.2)):
        env = np.maximum(0.2, 1 + 0.3 * smooth_random(rng, n, rate, 2.0))
        tones += a * env * np.sin(k * phase + rng.uniform(0, 2 * np.pi))
    x = broad + 10 ** (-6 / 20) * tones / rms(tones)
    return x / rms(x)


def cmd_gen(media, out):
    os.makedirs(out, exist_ok=True)
    for f in SET16 + SET48 + LIBRIVOX:
        if not os.path.isfile(os.path.join(media, f)):
            die("%s missing: run scripts/fetch-media.sh" % os.path.join(media, f))
    rows = []
    for rate, mains, own, other in ((16000, 50.0, SET16, SET48), (48000, 60.0, SET48, SET16)):
        tag = "%dk" % (rate // 1000)
        ref = concat([decode(os.path.join(media, f), rate) for f in own], rate)
        ref = ref * (10 ** (-6 / 20) / np.max(np.abs(ref)))  # peak -6 dBFS
        n = len(ref)
        # babble: the two LibriVox readers, each alone, and three talkers drawn from the other set
        lib = [decode(os.path.join(media, f), rate) for f in LIBRIVOX]
        oth = [decode(os.path.join(media, f), rate) for f in other]
        sets = [[lib[0]], [lib[1]], oth, oth, oth]
        seed = {16000: 1600, 48000: 4800}[rate]
        noises = {
            "pink": pink(np.random.default_rng(seed + 1), n, rate),
            "babble": babble(np.random.default_rng(seed + 2), n, rate, sets),
            "hum": hum(np.random.default_rng(seed + 3), n, rate, mains),
            "fan": fan(np.random.default_rng(seed + 4), n, rate),
        }
        eref = float(np.sum(ref ** 2))
        mixes = {}
        for name in NOISES:
            nz = noises[name]
            for snr in SNRS:
                g = np.sqrt(eref / (float(np.sum(nz ** 2)) * 10 ** (snr / 10)))
                mixes[(name, snr)] = ref + g * nz
        # one gain for the whole set (the reference included) so no mixture peaks over -1 dBFS
        peak = max(float(np.max(np.abs(m))) for m in mixes.values())
        k = min(1.0, 10 ** (-1 / 20) / peak)
        refpath = os.path.join(out, "ref-%s.wav" % tag)
        write_wav(refpath, ref * k, rate)
        for name in NOISES:
            for snr in SNRS:
                mid = "%s-%s-%02d" % (tag, name, snr)
                path = os.path.join(out, "mix-%s.wav" % mid)
                write_wav(path, mixes[(name, snr)] * k, rate)
                rows.append((mid, rate, name, snr, "%.3f" % (n / rate), path, refpath))
    with open(os.path.join(out, "mixtures.tsv"), "w") as f:
        for r in rows:
            f.write("\t".join(str(v) for v in r) + "\n")


# ---------------------------------------------------------------- scoring

def sisdr(ref, est):
    n = min(len(ref), len(est))
    r = ref[:n] - np.mean(ref[:n])
    e = est[:n] - np.mean(est[:n])
    rr = float(np.dot(r, r))
    if rr == 0:
        return float("nan")
    t = (float(np.dot(e, r)) / rr) * r
    res = e - t
    tt, ee = float(np.dot(t, t)), float(np.dot(res, res))
    if ee == 0:
        return float("inf")
    if tt == 0:
        return float("-inf")
    return 10 * np.log10(tt / ee)


def sisdr_aligned(ref, est, lag):
    """SI-SDR with EST moved LAG samples earlier (the delay taken out; informative only)."""
    n = min(len(ref), len(est))
    if lag >= 0:
        return sisdr(ref[:n - lag], est[lag:n])
    return sisdr(ref[-lag:n], est[:n + lag])


def next_fast(n):
    """the smallest 2^a 3^b 5^c >= n (a quick FFT size)."""
    best, p5 = 1 << max(0, (n - 1).bit_length()), 1
    while p5 < 2 * n:
        p35 = p5
        while p35 < 2 * n:
            v = p35
            while v < n:
                v *= 2
            best = min(best, v)
            p35 *= 3
        p5 *= 5
    return best


_SPEC = {}


def best_lag(ref, est, maxlag=MAXLAG):
    """lag L in [-maxlag, maxlag] maximising |sum ref[i] est[i+L]| (L > 0: est is late)."""
    n = min(len(ref), len(est))
    m = next_fast(n + maxlag)  # circular correlation, no wrap within +-maxlag
    key = (id(ref), n, m)
    if key not in _SPEC:  # the reference's spectrum, once per scoring run
        r = ref[:n] - np.mean(ref[:n])
        _SPEC[key] = np.conj(np.fft.rfft(r, m))
    e = est[:n] - np.mean(est[:n])
    c = np.fft.irfft(_SPEC[key] * np.fft.rfft(e, m), m)
    lags = np.concatenate([np.arange(0, maxlag + 1), np.arange(-maxlag, 0)])
    vals = np.concatenate([c[:maxlag + 1], c[m - maxlag:]])
    return int(lags[int(np.argmax(np.abs(vals)))])


def cmd_score(mid, rate, noise, snr, refpath, listpath):
    rate = int(rate)
    _, _, ref = read_wav(refpath)
    ref = ref[:, 0]
    out = []
    for line in open(listpath):
        f = line.rstrip("\n").split("\t")
        if len(f) < 5:
            continue
        who, setting, filt, status, path = f[:5]
        val, lag, ns, alv = "nan", "", "", "nan"
        if status == "ok":
            try:
                try:
                    r, ch, x = read_wav(path)
                except ValueError:  # some other container: let ffmpeg decode it (mono, our rate)
                    r, ch, x = rate, 1, decode(path, rate, fatal=False).reshape(-1, 1)
                if r != rate:
                    status = "rate %d, not %d" % (r, rate)
                else:
                    est = x.mean(axis=1)
                    ns = str(len(est))
                    if ch > 1:
                        status = "ok (%d channels averaged)" % ch
                    if len(est) == 0:
                        status = "empty output"
                    else:
                        val = "%.3f" % sisdr(ref, est)
                        lg = best_lag(ref, est)
                        lag = str(lg)
                        alv = val if lg == 0 else "%.3f" % sisdr_aligned(ref, est, lg)
            except (OSError, ValueError) as e:
                status = "unreadable: %s" % str(e).replace("\t", " ")
        out.append("\t".join([mid, str(rate), noise, str(snr), who, setting, filt, val, lag, ns, status, alv]))
    sys.stdout.write("".join(l + "\n" for l in out))


# ---------------------------------------------------------------- report

def load_results(path):
    res = {}
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) < 12:
            continue
        mid, rate, noise, snr, who, setting, filt, val, lag, ns, status, alv = f[:12]
        res.setdefault(mid, {"rate": int(rate), "noise": noise, "snr": int(snr), "rows": []})["rows"].append(
            {"who": who, "setting": setting, "filter": filt, "v": float(val), "lag": int(lag) if lag else None,
             "n": ns, "status": status, "al": float(alv)})
    return res


def best(rows, who, key="v"):
    c = [r for r in rows if r["who"] in who.split("|") and r["status"].startswith("ok") and np.isfinite(r[key])]
    return max(c, key=lambda r: r[key]) if c else None


def fmt(v, w=6):
    return ("%*.2f" % (w, v)) if v is not None and np.isfinite(v) else "%*s" % (w, "-")


def mean(xs):
    xs = [x for x in xs if x is not None]
    return float(np.mean(xs)) if xs else None


def cmd_report(respath, speedpath):
    res = load_results(respath)
    if not res:
        die("no results in %s" % respath)
    order = sorted(res, key=lambda m: (res[m]["rate"], NOISES.index(res[m]["noise"]), res[m]["snr"]))
    print("SI-SDR in dB against the clean reference, higher is better, nothing realigned;")
    print("delta = reel - ff best. Informative: ff best* = the best ffmpeg output with its own delay taken")
    print("out (shifted by its lag before scoring), delta* = reel (as it is) - ff best*.")
    hdr = "%-4s %-6s %3s %6s  %-25s %-19s %7s %7s %7s %7s %7s  %s"
    print(hdr % ("rate", "noise", "snr", "input", "afftdn best (setting)", "anlmdn best (s)", "ff best", "reel",
                 "delta", "ffbest*", "delta*", "lag (samples) / warnings"))
    table, failed, reel_fail_msgs, lags = [], 0, [], {}
    for m in order:
        d = res[m]
        rows = d["rows"]
        inp, af, nl, reel = best(rows, "input"), best(rows, "afftdn"), best(rows, "anlmdn"), best(rows, "reel")
        ffb = best(rows, "afftdn|anlmdn")
        ffa = best(rows, "afftdn|anlmdn", "al")
        warn, lagw = [], []
        for r in rows:
            if r["lag"] is not None:
                key = (r["who"], d["rate"])
                lags.setdefault(key, set()).add(r["lag"])
        for label, r in (("input", inp), ("afftdn", af), ("anlmdn", nl), ("reel", reel)):
            if r and r["lag"] not in (None, 0):
                lagw.append("%s %+d" % (label, r["lag"]))
            if r and r["status"] != "ok":
                warn.append("%s: %s" % (label, r["status"]))
        grid_bad = [r for r in rows if r["who"] in ("afftdn", "anlmdn") and not r["status"].startswith("ok")]
        if grid_bad:
            warn.append("%d ffmpeg runs failed" % len(grid_bad))
            failed += len(grid_bad)
        if reel is None:
            reel_fail_msgs += [r["status"] for r in rows if r["who"] == "reel"]
        delta = reel["v"] - ffb["v"] if reel and ffb else None
        delta_a = reel["v"] - ffa["al"] if reel and ffa else None
        afs = "%s (%s)" % (fmt(af["v"]), af["setting"]) if af else "failed"
        nls = "%s (%s)" % (fmt(nl["v"]), nl["setting"]) if nl else "failed"
        print(hdr % ("%dk" % (d["rate"] // 1000), d["noise"], d["snr"], fmt(inp["v"] if inp else None), afs, nls,
                     fmt(ffb["v"] if ffb else None, 7), fmt(reel["v"], 7) if reel else " failed",
                     ("%+7.2f" % delta) if delta is not None else "      -", fmt(ffa["al"] if ffa else None, 7),
                     ("%+7.2f" % delta_a) if delta_a is not None else "      -",
                     "; ".join((["lag " + ", ".join(lagw)] if lagw else []) + warn)))
        table.append({"rate": d["rate"], "noise": d["noise"], "snr": d["snr"], "input": inp["v"] if inp else None,
                      "af": af["v"] if af else None, "nl": nl["v"] if nl else None,
                      "ff": ffb["v"] if ffb else None, "reel": reel["v"] if reel else None, "delta": delta,
                      "ffa": ffa["al"] if ffa else None, "delta_a": delta_a})
    nreel_fail = sum(1 for t in table if t["reel"] is None)
    off = {k: v for k, v in lags.items() if v != {0}}
    if off:
        print("alignment: outputs peaking off lag 0 (within +-%d samples; positive = late), not realigned: %s" % (
            MAXLAG, "; ".join("%s at %dk: %s" % (w, r // 1000, ",".join("%+d" % x for x in sorted(v)))
                              for (w, r), v in sorted(off.items()))))
    else:
        print("alignment: every output peaks at lag 0 (checked within +-%d samples)" % MAXLAG)
    if nreel_fail:
        why = reel_fail_msgs[0] if reel_fail_msgs else "no output"
        print("reel: failed on %d of %d mixtures (first: %s)" % (
            nreel_fail, len(table), why[len("failed: "):] if why.startswith("failed: ") else why))

    def summary(key, keys, label):
        print()
        print("by %s (mean over %s):" % (label, "noise types and both rates" if key == "snr" else
                                         "SNRs and both rates"))
        h = "%-7s %7s %7s %7s %7s %7s %7s %11s %7s %7s"
        print(h % (label, "input", "afftdn", "anlmdn", "ff best", "reel", "delta", "worst delta", "ffbest*",
                   "delta*"))
        out = {}
        for k in keys:
            g = [t for t in table if t[key] == k]
            ok = [t for t in g if t["delta"] is not None]
            full = len(ok) == len(g) and g
            md = mean([t["delta"] for t in ok]) if full else None
            wd = min(t["delta"] for t in ok) if full else None
            mda = mean([t["delta_a"] for t in g]) if full and all(t["delta_a"] is not None for t in g) else None
            wda = min(t["delta_a"] for t in g) if mda is not None else None
            print(h % (k, fmt(mean([t["input"] for t in g]), 7), fmt(mean([t["af"] for t in g]), 7),
                       fmt(mean([t["nl"] for t in g]), 7), fmt(mean([t["ff"] for t in g]), 7),
                       fmt(mean([t["reel"] for t in g]), 7) if full else " failed",
                       ("%+7.2f" % md) if md is not None else "      -",
                       ("%+11.2f" % wd) if wd is not None else "          -",
                       fmt(mean([t["ffa"] for t in g]), 7), ("%+7.2f" % mda) if mda is not None else "      -"))
            out[k] = (md, wd, mean([t["ff"] for t in g]), mean([t["reel"] for t in g]) if full else None, mda,
                      mean([t["ffa"] for t in g]), wda)
        return out

    bysnr = summary("snr", sorted({t["snr"] for t in table}), "snr")
    summary("noise", [n for n in NOISES if any(t["noise"] == n for t in table)], "noise")
    if failed:
        print("\nffmpeg: %d grid runs failed (left out of the bests)" % failed)

    # speed
    sp = {}
    if speedpath and os.path.isfile(speedpath):
        for line in open(speedpath):
            f = line.rstrip("\n").split("\t")
            if len(f) >= 4:
                sp[f[0]] = f[1:]
    print()
    xrt = None
    if "file" in sp:
        print("speed, one core (taskset -c 0), %s (%s s of audio), median of %s runs:" % (
            sp["file"][0], sp["file"][1], sp["file"][2]))
    for who in ("reel", "afftdn"):
        if who in sp:
            wall, status, setting = sp[who]
            if status == "ok":
                secs = float(sp["file"][1])
                x = secs / float(wall) if float(wall) > 0 else float("inf")
                print("  %-7s %7.3f s wall  %7.1fx real time  %s" % (who, float(wall), x, setting))
                if who == "reel":
                    xrt = x
            else:
                print("  %-7s %s  %s" % (who, status, setting))

    # targets
    print()
    # The target is judged against ffmpeg at its best: its outputs shifted back by their own delay
    # (ff best*). Scored as they come out, ffmpeg's delayed outputs lose 20 dB or more to any
    # time-aligned output, which would make the comparison meaningless; that is printed too.
    if nreel_fail:
        print("TARGET sisdr_gain: reel failed on %d of %d mixtures; ffmpeg best* per SNR %s FAIL" % (
            nreel_fail, len(table), ", ".join("%d dB: %.2f" % (k, v[5]) for k, v in bysnr.items())))
    else:
        print("informative: mean(reel - ffmpeg best) per SNR, ffmpeg's outputs as they come out (delayed): %s" % (
            ", ".join("%d dB: %+.2f" % (k, v[0]) for k, v in bysnr.items())))
        parts = ", ".join("%d dB: %+.2f (worst mixture %+.2f)" % (k, v[4], v[6]) for k, v in bysnr.items())
        ok = all(v[4] >= 2.0 for v in bysnr.values())
        print("TARGET sisdr_gain: mean(reel - ffmpeg best*) at every SNR >= 2 dB, ffmpeg's delay taken out: %s %s" % (
            parts, "PASS" if ok else "FAIL"))
    if xrt is None:
        print("TARGET speed: reel >= 100x real time on one core: not measured (reel failed) FAIL")
    else:
        print("TARGET speed: reel >= 100x real time on one core: %.1fx %s" % (xrt, "PASS" if xrt >= 100 else "FAIL"))


def cmd_best_afftdn(respath, mid):
    res = load_results(respath)
    b = best(res.get(mid, {"rows": []})["rows"], "afftdn")
    if b:
        print("%s\t%s" % (b["filter"], b["setting"]))


def self_test():
    rng = np.random.default_rng(7)
    ref = rng.standard_normal(48000)
    noise = rng.standard_normal(48000)
    noise -= np.dot(noise, ref) / np.dot(ref, ref) * ref  # exactly orthogonal
    for snr in (0, 10, 20):
        est = 0.3 * ref + 0.3 * noise / rms(noise) * rms(ref) * 10 ** (-snr / 20)
        v = sisdr(ref, est)
        assert abs(v - snr) < 0.05, (snr, v)
    assert sisdr(ref, -2 * ref) == float("inf")
    assert best_lag(ref, np.concatenate([np.zeros(37), ref])[:48000]) == 37
    assert best_lag(ref, np.concatenate([ref[25:], np.zeros(25)])) == -25
    assert best_lag(ref, ref + 0.5 * noise) == 0
    late = np.concatenate([np.zeros(400), ref])[:48000]
    assert sisdr(ref, late) < 3  # a delay is punished
    assert sisdr_aligned(ref, late, best_lag(ref, late)) == float("inf")
    assert best_lag(ref, ref[7:]) == -7 and sisdr_aligned(ref, ref[7:], -7) == float("inf")
    print("denoise_score.py self-test: ok")


def main(argv):
    if len(argv) >= 1 and argv[0] == "self-test":
        self_test()
    elif len(argv) == 3 and argv[0] == "gen":
        cmd_gen(argv[1], argv[2])
    elif len(argv) == 7 and argv[0] == "score":
        cmd_score(*argv[1:])
    elif len(argv) in (2, 3) and argv[0] == "report":
        cmd_report(argv[1], argv[2] if len(argv) == 3 else None)
    elif len(argv) == 3 and argv[0] == "best-afftdn":
        cmd_best_afftdn(argv[1], argv[2])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
