#!/usr/bin/env python3
"""shots_score.py: TRECVID-style scoring of shot-boundary / transition detection (stdlib only).

usage:
  shots_score.py TRUTH.json DETECTED.json [TRUTH2.json DETECTED2.json ...]
  shots_score.py --dir TRUTH_DIR DETECTED_DIR   pairs NAME.truth.json with NAME.json
                                                 (or NAME.shots.json) in DETECTED_DIR
  shots_score.py --truth-as-detected TRUTH.json  print the truth in `reel shots --json` format
  shots_score.py --self-test                     check the scorer on hand-made cases
  options: --summary-json FILE  write the totals as JSON; --quiet  totals only;
           --verbose  list every miss / false alarm

Truth (scripts/gen-shots-testset.sh): {"fps": "25/1", "frames": N, "transitions": [
  {"type": "cut", "frame": F} (F = first frame of the new shot),
  {"type": "dissolve"|"fade"|"wipe", "start": S, "length": L}], "flashes": [{"frame": F, "length": n}]}
  A transition with "optional": true is neither a miss when undetected nor a false alarm when
  detected.
Detected (`reel shots FILE --json`): {"transitions": [{"type": "cut", "start": F, "length": 0, ...},
  {"type": "dissolve"|"fade"|"fade_in"|"fade_out"|"wipe", "start": S, "length": L, ...}],
  "flashes": [{"frame": F, "length": n}]}

Matching, greedy and 1:1: a detected cut matches a true cut when |det.start - true.frame| <= 2
(closest pairs first); a detected gradual transition (any gradual type) matches a true gradual one
when [S, S+L) intersects the true [S, S+L) (largest overlap first). Cuts never match gradual
transitions or the reverse: those are reported as type confusions (and count as a false alarm plus
a miss). Gradual type mismatches among matched pairs (dissolve vs fade vs wipe) are reported but
not penalised. A flash is found when a detected flash starts within +-1 frame of it; "false cuts
at flashes" counts unmatched detected cuts within 2 frames of a true flash. Always exits 0 unless
the arguments are unusable (then 2).
"""
import json
import os
import sys

CUT_TOL = 2
FLASH_TOL = 1
GRADUAL = {"dissolve", "fade", "fade_in", "fade_out", "fadein", "fadeout", "wipe", "gradual",
           "fade_black", "fade_white"}


def _int(v, default=None):
    try:
        return int(round(float(v)))
    except (TypeError, ValueError):
        return default


def norm_type(t):
    t = str(t or "").lower()
    if t in ("fade_in", "fadein", "fade_out", "fadeout", "fade_black", "fade_white"):
        return "fade"
    return t


def load(path):
    with open(path) as fh:
        d = json.load(fh)
    if not isinstance(d, dict):
        raise ValueError("%s: not a JSON object" % path)
    return d


def parse(d, is_truth):
    """-> cuts [(frame, optional, conf)], graduals [(start, end, type, optional, conf)], flashes"""
    cuts, grads, flashes = [], [], []
    for t in d.get("transitions") or []:
        if not isinstance(t, dict):
            continue
        typ = str(t.get("type") or "").lower()
        length = _int(t.get("length"), 0) or 0
        start = _int(t.get("start"))
        if start is None:
            start = _int(t.get("frame"))
        if start is None:
            continue
        opt = bool(t.get("optional", False))
        conf = t.get("confidence", 1.0)
        try:
            conf = float(conf)
        except (TypeError, ValueError):
            conf = 1.0
        if typ == "cut" or (typ not in GRADUAL and length <= 0):
            frame = _int(t.get("frame")) if is_truth and t.get("frame") is not None else start
            cuts.append((frame, opt, conf))
        else:
            grads.append((start, start + max(length, 1), norm_type(typ) or "gradual", opt, conf))
    for f in d.get("flashes") or []:
        if isinstance(f, dict):
            fr = _int(f.get("frame"), _int(f.get("start")))
            if fr is not None:
                flashes.append((fr, max(_int(f.get("length"), 1) or 1, 1)))
    return cuts, grads, flashes


def greedy(pairs):
    """pairs: (key, ti, di) sorted best first; -> {ti: di}"""
    used_t, used_d, m = set(), set(), {}
    for _, ti, di in sorted(pairs):
        if ti in used_t or di in used_d:
            continue
        used_t.add(ti)
        used_d.add(di)
        m[ti] = di
    return m


def match_cuts(tc, dc):
    pairs = []
    for ti, (tf, topt, _) in enumerate(tc):
        for di, (df, _, dconf) in enumerate(dc):
            dist = abs(df - tf)
            if dist <= CUT_TOL:
                # required truths first, then closest, then most confident detection
                pairs.append(((1 if topt else 0, dist, -dconf, di), ti, di))
    return greedy(pairs)


def overlap(a0, a1, b0, b1):
    return min(a1, b1) - max(a0, b0)


def match_grads(tg, dg):
    pairs = []
    for ti, (ts, te, _, topt, _) in enumerate(tg):
        for di, (ds, de, _, _, dconf) in enumerate(dg):
            ov = overlap(ts, te, ds, de)
            if ov > 0:
                pairs.append(((1 if topt else 0, -ov, -dconf, di), ti, di))
    return greedy(pairs)


class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, o):
        self.tp += o.tp
        self.fp += o.fp
        self.fn += o.fn

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if self.fn == 0 else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


class Result:
    def __init__(self):
        self.cut, self.grad, self.all = Counts(), Counts(), Counts()
        self.flash_true = self.flash_found = self.flash_det = 0
        self.false_cuts_at_flashes = 0
        self.cut_as_gradual = 0      # true cut reported as a gradual transition
        self.gradual_as_cut = 0      # true gradual transition reported as a cut
        self.gradual_type_mismatch = {}
        self.bound_err = []          # |start error| and |end error| of each matched gradual pair
        self.misses, self.false_alarms = [], []
        self.notes = []

    def add(self, o):
        self.cut.add(o.cut)
        self.grad.add(o.grad)
        self.all.add(o.all)
        self.flash_true += o.flash_true
        self.flash_found += o.flash_found
        self.flash_det += o.flash_det
        self.false_cuts_at_flashes += o.false_cuts_at_flashes
        self.cut_as_gradual += o.cut_as_gradual
        self.gradual_as_cut += o.gradual_as_cut
        for k, v in o.gradual_type_mismatch.items():
            self.gradual_type_mismatch[k] = self.gradual_type_mismatch.get(k, 0) + v
        self.bound_err += o.bound_err


def score(truth, det):
    r = Result()
    tc, tg, tf = parse(truth, True)
    dc, dg, df = parse(det, False)
    tn, dn = _int(truth.get("frames")), _int(det.get("frames"))
    if tn is not None and dn is not None and abs(tn - dn) > 1:
        r.notes.append("frame count differs: truth %d, detected %d" % (tn, dn))
    tfps, dfps = str(truth.get("fps", "")), str(det.get("fps", ""))
    if tfps and dfps and tfps != dfps:
        r.notes.append("fps differs: truth %s, detected %s" % (tfps, dfps))

    mc = match_cuts(tc, dc)
    mg = match_grads(tg, dg)
    mc_d = set(mc.values())
    mg_d = set(mg.values())
    for ti, (f, opt, _) in enumerate(tc):
        if ti in mc:
            if not opt:
                r.cut.tp += 1
        elif not opt:
            r.cut.fn += 1
            r.misses.append("cut@%d" % f)
    for di, (f, _, _) in enumerate(dc):
        if di in mc_d:
            continue
        r.cut.fp += 1
        r.false_alarms.append("cut@%d" % f)
    for ti, (s, e, typ, opt, _) in enumerate(tg):
        if ti in mg:
            if not opt:
                r.grad.tp += 1
            dtyp = dg[mg[ti]][2]
            if not opt:
                r.bound_err += [abs(dg[mg[ti]][0] - s), abs(dg[mg[ti]][1] - e)]
            if dtyp != typ and dtyp != "gradual":
                k = "%s->%s" % (typ, dtyp)
                r.gradual_type_mismatch[k] = r.gradual_type_mismatch.get(k, 0) + 1
        elif not opt:
            r.grad.fn += 1
            r.misses.append("%s[%d,%d)" % (typ, s, e))
    for di, (s, e, typ, _, _) in enumerate(dg):
        if di in mg_d:
            continue
        r.grad.fp += 1
        r.false_alarms.append("%s[%d,%d)" % (typ, s, e))
    # a detection matched to an optional truth is neither tp nor fp: nothing was added above

    # type confusions among the leftovers
    un_tc = [tc[i] for i in range(len(tc)) if i not in mc and not tc[i][1]]
    un_tg = [tg[i] for i in range(len(tg)) if i not in mg and not tg[i][3]]
    un_dc = [dc[i] for i in range(len(dc)) if i not in mc_d]
    un_dg = [dg[i] for i in range(len(dg)) if i not in mg_d]
    used = set()
    for (s, e, _, _, _) in un_tg:
        for i, (f, _, _) in enumerate(un_dc):
            if i not in used and s - CUT_TOL <= f <= e + CUT_TOL:
                used.add(i)
                r.gradual_as_cut += 1
                break
    used = set()
    for (f, _, _) in un_tc:
        for i, (s, e, _, _, _) in enumerate(un_dg):
            if i not in used and s - CUT_TOL <= f <= e + CUT_TOL:
                used.add(i)
                r.cut_as_gradual += 1
                break

    # flashes
    r.flash_true = len(tf)
    r.flash_det = len(df)
    pairs = []
    for ti, (f, _) in enumerate(tf):
        for di, (g, _) in enumerate(df):
            if abs(g - f) <= FLASH_TOL:
                pairs.append((abs(g - f), ti, di))
    r.flash_found = len(greedy(pairs))
    for (f, _, _) in un_dc:
        for (g, n) in tf:
            if g - CUT_TOL <= f <= g + n + CUT_TOL:
                r.false_cuts_at_flashes += 1
                break

    r.all.tp = r.cut.tp + r.grad.tp
    r.all.fp = r.cut.fp + r.grad.fp
    r.all.fn = r.cut.fn + r.grad.fn
    return r


def fmt(c):
    p, rr, f = c.prf()
    return "P %.4f R %.4f F1 %.4f (tp %d fp %d fn %d)" % (p, rr, f, c.tp, c.fp, c.fn)


def report(name, r, out, verbose):
    out.write("%s\n" % name)
    out.write("  all      %s\n" % fmt(r.all))
    out.write("  cuts     %s\n" % fmt(r.cut))
    out.write("  gradual  %s\n" % fmt(r.grad))
    fr = r.flash_found / r.flash_true if r.flash_true else 1.0
    out.write("  flashes  recall %.4f (%d/%d, %d detected)  false cuts at flashes: %d\n"
              % (fr, r.flash_found, r.flash_true, r.flash_det, r.false_cuts_at_flashes))
    conf = ["true cut reported as gradual: %d" % r.cut_as_gradual,
            "true gradual reported as cut: %d" % r.gradual_as_cut]
    if r.gradual_type_mismatch:
        conf.append("gradual type (true->detected): " + ", ".join(
            "%s %d" % kv for kv in sorted(r.gradual_type_mismatch.items())))
    out.write("  confusions  %s\n" % "; ".join(conf))
    if r.bound_err:
        b = sorted(r.bound_err)
        out.write("  gradual bounds  |error| of matched starts and ends: median %d, mean %.1f, "
                  "within 2 frames %d/%d, worst %d\n"
                  % (b[len(b) // 2], sum(b) / len(b), sum(1 for x in b if x <= 2), len(b), b[-1]))
    for n in r.notes:
        out.write("  note: %s\n" % n)
    if verbose:
        if r.misses:
            out.write("  misses: %s\n" % " ".join(r.misses))
        if r.false_alarms:
            out.write("  false alarms: %s\n" % " ".join(r.false_alarms))


def summary(r):
    d = {}
    for k, c in (("overall", r.all), ("cuts", r.cut), ("gradual", r.grad)):
        p, rr, f = c.prf()
        d[k] = {"precision": p, "recall": rr, "f1": f, "tp": c.tp, "fp": c.fp, "fn": c.fn}
    d["flashes"] = {"true": r.flash_true, "found": r.flash_found, "detected": r.flash_det,
                    "recall": r.flash_found / r.flash_true if r.flash_true else 1.0,
                    "false_cuts_at_flashes": r.false_cuts_at_flashes}
    b = sorted(r.bound_err)
    d["gradual_bounds"] = {"median_abs_error": b[len(b) // 2] if b else None,
                           "mean_abs_error": sum(b) / len(b) if b else None,
                           "within_2": sum(1 for x in b if x <= 2), "n": len(b)}
    d["confusions"] = {"cut_as_gradual": r.cut_as_gradual, "gradual_as_cut": r.gradual_as_cut,
                       "gradual_type": r.gradual_type_mismatch}
    return d


def truth_as_detected(t):
    """The truth in `reel shots --json` format (a perfect detector's output)."""
    tr = []
    for x in t.get("transitions") or []:
        if x.get("type") == "cut":
            tr.append({"type": "cut", "start": x["frame"], "length": 0, "confidence": 1.0})
        else:
            typ = x.get("type")
            if typ == "fade" and x.get("subtype") in ("in", "out"):
                typ = "fade_" + x["subtype"]
            tr.append({"type": typ, "start": x["start"], "length": x["length"], "confidence": 1.0})
    n = t.get("frames", 0)
    bounds = [0]
    for x in tr:
        b = x["start"] + max(x["length"], 0)
        if 0 < b < n:
            bounds.append(b)
    bounds = sorted(set(bounds)) + [n]
    shots = [{"start": a, "end": b - 1} for a, b in zip(bounds, bounds[1:]) if b > a]
    return {"clip": t.get("clip", ""), "fps": t.get("fps", "25/1"), "frames": n, "shots": shots,
            "transitions": tr,
            "flashes": [{"frame": f["frame"], "length": f.get("length", 1)}
                        for f in t.get("flashes") or []]}


def pairs_from_dir(tdir, ddir):
    out = []
    for fn in sorted(os.listdir(tdir)):
        if not fn.endswith(".truth.json"):
            continue
        base = fn[:-len(".truth.json")]
        det = None
        for cand in (base + ".json", base + ".shots.json", base + ".detected.json"):
            if os.path.exists(os.path.join(ddir, cand)):
                det = os.path.join(ddir, cand)
                break
        out.append((os.path.join(tdir, fn), det))
    return out


def run_pairs(pairs, out, quiet=False, verbose=False):
    total = Result()
    for tpath, dpath in pairs:
        name = os.path.basename(tpath).replace(".truth.json", "")
        try:
            truth = load(tpath)
        except (OSError, ValueError) as e:
            out.write("%s: cannot read truth: %s (skipped)\n" % (name, e))
            continue
        det = {}
        miss_note = None
        if dpath is None:
            miss_note = "no detected file: everything counts as missed"
        else:
            try:
                det = load(dpath)
            except (OSError, ValueError) as e:
                miss_note = "cannot read detected file (%s): everything counts as missed" % e
        r = score(truth, det)
        if miss_note:
            r.notes.insert(0, miss_note)
        total.add(r)
        if not quiet:
            report(name, r, out, verbose)
    report("TOTAL (%d files)" % len(pairs), total, out, False)
    return total


# ---------------------------------------------------------------- self test
def self_test():
    import io
    truth = {"fps": "25/1", "frames": 1000, "transitions": [
        {"type": "fade", "subtype": "in", "start": 0, "length": 20},
        {"type": "cut", "frame": 100}, {"type": "cut", "frame": 200}, {"type": "cut", "frame": 300},
        {"type": "cut", "frame": 400},
        {"type": "dissolve", "start": 500, "length": 20},
        {"type": "fade", "subtype": "black", "start": 600, "length": 30},
        {"type": "wipe", "start": 700, "length": 15},
        {"type": "fade", "subtype": "out", "start": 970, "length": 30}],
        "flashes": [{"frame": 150, "length": 1}, {"frame": 250, "length": 2}]}
    perfect = truth_as_detected(truth)
    fails = []

    def check(label, det, want, truth_=truth):
        r = score(truth_, det)
        got = {"all": (r.all.tp, r.all.fp, r.all.fn), "cut": (r.cut.tp, r.cut.fp, r.cut.fn),
               "grad": (r.grad.tp, r.grad.fp, r.grad.fn), "flash": r.flash_found,
               "fcf": r.false_cuts_at_flashes, "g2c": r.gradual_as_cut, "c2g": r.cut_as_gradual,
               "f1": round(r.all.prf()[2], 4)}
        bad = {k: (got[k], v) for k, v in want.items() if got[k] != v}
        status = "ok  " if not bad else "FAIL"
        print("%s %-44s all %s  cut %s  grad %s  F1 %.4f flash %d fcf %d"
              % (status, label, got["all"], got["cut"], got["grad"], got["f1"], got["flash"],
                 got["fcf"]))
        if bad:
            fails.append((label, bad))

    def det_with(trs, flashes=None):
        d = json.loads(json.dumps(perfect))
        d["transitions"] = trs
        if flashes is not None:
            d["flashes"] = flashes
        return d

    P = perfect["transitions"]
    check("truth as detected", perfect,
          {"all": (9, 0, 0), "f1": 1.0, "flash": 2, "fcf": 0})
    shifted = [dict(t, start=t["start"] + (2 if t["type"] == "cut" else 0)) for t in P]
    check("cuts shifted +2 (tolerance edge)", det_with(shifted), {"all": (9, 0, 0), "f1": 1.0})
    shifted3 = [dict(t, start=t["start"] - 3 if t["type"] == "cut" else t["start"]) for t in P]
    check("cuts shifted -3 (out of tolerance)", det_with(shifted3),
          {"cut": (0, 4, 4), "grad": (5, 0, 0), "f1": round(2 * (5 / 9) * (5 / 9) / (10 / 9), 4)})
    check("one cut missed", det_with([t for t in P if t["start"] != 300]),
          {"all": (8, 0, 1), "cut": (3, 0, 1), "f1": round(2 * 1 * (8 / 9) / (1 + 8 / 9), 4)})
    check("false cuts at both flashes", det_with(P + [
        {"type": "cut", "start": 150, "length": 0}, {"type": "cut", "start": 251, "length": 0}]),
        {"all": (9, 2, 0), "cut": (4, 2, 0), "fcf": 2, "f1": round(2 * (9 / 11) / (9 / 11 + 1), 4)})
    check("duplicate cut detections (1:1)", det_with(P + [
        {"type": "cut", "start": 101, "length": 0}]), {"cut": (4, 1, 0)})
    check("dissolve reported as cut", det_with(
        [t for t in P if t["start"] != 500] + [{"type": "cut", "start": 510, "length": 0}]),
        {"cut": (4, 1, 0), "grad": (4, 0, 1), "g2c": 1})
    check("cut reported as 2-frame dissolve", det_with(
        [t for t in P if t["start"] != 200] + [{"type": "dissolve", "start": 199, "length": 2}]),
        {"cut": (3, 0, 1), "grad": (5, 1, 0), "c2g": 1})
    check("gradual partial overlap + type swap", det_with(
        [t for t in P if t["start"] not in (600, 700)] +
        [{"type": "dissolve", "start": 625, "length": 40},
         {"type": "fade", "start": 714, "length": 3}]), {"grad": (5, 0, 0)})
    check("gradual adjacent, no overlap", det_with(
        [t for t in P if t["start"] != 500] + [{"type": "dissolve", "start": 520, "length": 5}]),
        {"grad": (4, 1, 1)})
    check("one long detection over two graduals", det_with(
        [t for t in P if t["start"] not in (500, 600)] +
        [{"type": "dissolve", "start": 505, "length": 110}]), {"grad": (4, 0, 1)})
    check("flashes missed, off by 2", det_with(P, [{"frame": 152, "length": 1}]),
          {"flash": 0, "f1": 1.0})
    check("empty detection", {}, {"all": (0, 0, 9), "f1": 0.0, "flash": 0})
    check("missing keys / junk entries", {"transitions": [None, {"type": "cut"},
                                                          {"start": "x"}], "flashes": [1, {}]},
          {"all": (0, 0, 9)})
    t_opt = {"frames": 300, "transitions": [{"type": "cut", "frame": 1, "optional": True},
                                            {"type": "cut", "frame": 98}]}
    check("optional truth detected", {"transitions": [
        {"type": "cut", "start": 1, "length": 0}, {"type": "cut", "start": 98, "length": 0}]},
        {"all": (1, 0, 0), "f1": 1.0}, t_opt)
    check("optional truth not detected", {"transitions": [
        {"type": "cut", "start": 97, "length": 0}]}, {"all": (1, 0, 0), "f1": 1.0}, t_opt)
    # P/R arithmetic: 9 true, 8 found + 2 false -> P 0.8, R 8/9
    d = det_with([t for t in P if t["start"] != 400] + [
        {"type": "cut", "start": 800, "length": 0}, {"type": "wipe", "start": 850, "length": 10}])
    r = score(truth, d)
    p, rr, f = r.all.prf()
    ok = abs(p - 0.8) < 1e-9 and abs(rr - 8 / 9) < 1e-9 and abs(f - 2 * 0.8 * (8 / 9) / (0.8 + 8 / 9)) < 1e-9
    print("%s %-44s P %.4f R %.4f F1 %.4f" % ("ok  " if ok else "FAIL", "P/R/F1 arithmetic", p, rr, f))
    if not ok:
        fails.append(("arith", (p, rr, f)))
    # the report renders
    buf = io.StringIO()
    report("x", score(truth, perfect), buf, True)
    print("self-test: %s (%d failures)" % ("PASS" if not fails else "FAIL", len(fails)))
    for f in fails:
        print("  ", f)
    return 0 if not fails else 1


def main(argv):
    args = list(argv)
    quiet = "--quiet" in args
    verbose = "--verbose" in args
    args = [a for a in args if a not in ("--quiet", "--verbose")]
    summ = None
    if "--summary-json" in args:
        i = args.index("--summary-json")
        if i + 1 >= len(args):
            sys.stderr.write("--summary-json needs a file\n")
            return 2
        summ = args[i + 1]
        del args[i:i + 2]
    if args[:1] == ["--self-test"]:
        return self_test()
    if args[:1] == ["--truth-as-detected"] and len(args) == 2:
        json.dump(truth_as_detected(load(args[1])), sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 0
    if args[:1] == ["--dir"] and len(args) == 3:
        pairs = pairs_from_dir(args[1], args[2])
        if not pairs:
            sys.stderr.write("no *.truth.json in %s\n" % args[1])
            return 2
    elif args and len(args) % 2 == 0 and not args[0].startswith("--"):
        pairs = list(zip(args[0::2], args[1::2]))
    else:
        sys.stderr.write(__doc__)
        return 2
    total = run_pairs(pairs, sys.stdout, quiet, verbose)
    if summ:
        with open(summ, "w") as fh:
            json.dump(summary(total), fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
