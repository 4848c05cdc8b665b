#!/usr/bin/env python3
"""Damage one video packet of a real clip, as a transfer error would: corrupt_packet.py SRC DST FRAC
[NBYTES]. The packet is the first non-key video packet at FRAC of the stream; NBYTES random bytes
(default: half the packet) are overwritten a quarter of the way into it. Prints the packet's
presentation time in seconds from the stream's start (where a QC finding must land)."""
import json
import random
import shutil
import subprocess
import sys

src, dst, frac = sys.argv[1], sys.argv[2], float(sys.argv[3])
nbytes = int(sys.argv[4]) if len(sys.argv) > 4 else 0
probe = json.loads(subprocess.run(
    ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_packets", "-show_entries",
     "packet=pts_time,pos,size,flags:stream=start_time", "-of", "json", src],
    capture_output=True, text=True, check=True).stdout)
start = float(probe["streams"][0].get("start_time", 0) or 0)
packets = [p for p in probe["packets"] if p.get("pos") not in (None, "N/A") and p.get("pts_time") not in (None, "N/A")]
i = int(len(packets) * frac)
while "K" in packets[i]["flags"]:
    i += 1
p = packets[i]
shutil.copy(src, dst)
rnd = random.Random(7)
pos, size = int(p["pos"]), int(p["size"])
with open(dst, "r+b") as f:
    f.seek(pos + size // 4)
    f.write(bytes(rnd.randrange(256) for _ in range(nbytes or max(1, size // 2))))
print("%.4f" % (float(p["pts_time"]) - start))
