#!/usr/bin/python3
"""Checks coded concepts against the PS3.16 concept table that Debian's pydicom ships (pydicom.sr._concepts_dict).

usage: /usr/bin/python3 tools/dicomresults/check_codes.py   (reads "VALUE|SCHEME|MEANING" lines on stdin)
Prints one line per concept: "ok VALUE SCHEME" when the scheme has that code value and its meaning matches
(case-insensitive, ignoring a SNOMED semantic tag such as " (disorder)"), else "bad VALUE SCHEME: reason".
"""
import re
import sys

from pydicom.sr._concepts_dict import concepts


def normalise(meaning):
    return re.sub(r"\s*\([a-z ]+\)$", "", meaning).strip().lower()


for line in sys.stdin:
    line = line.rstrip("\n")
    if not line:
        continue
    value, scheme, meaning = line.split("|", 2)
    # A value can appear under several keywords (e.g. SCT 1386000 is listed both as "Intracranial hemorrhage
    # (disorder)" and, in CIDs 3413/3754, as "Occlusion of artery"), so every listed meaning counts.
    known = {}
    for entry in concepts.get(scheme, {}).values():
        for v, (m, _) in entry.items():
            known.setdefault(v, []).append(m)
    if value not in known:
        print(f"bad {value} {scheme}: not in pydicom's {scheme} table")
    elif normalise(meaning) not in [normalise(m) for m in known[value]]:
        print(f"bad {value} {scheme}: meaning '{meaning}' differs from {known[value]}")
    else:
        print(f"ok {value} {scheme}")
