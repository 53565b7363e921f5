"""anonlink's Dice on filters written by bench/linkage.py (run in the oracle venv only).

anonlink (and clkhash) pin an old ``cryptography``, so they are never a dependency of
migralink: ``bench/oracle-venv.sh`` installs them in ``.venv-oracle`` and
``bench/linkage.py`` runs this script there, in a subprocess, on the same packed filters.

Usage (what bench/linkage.py runs)::

    .venv-oracle/bin/python bench/anonlink_oracle.py left.npy right.npy out.npz THRESHOLD

Reads two ``uint8`` arrays of packed filters (``np.packbits`` rows), times anonlink's
accelerated all-pairs Dice (``dice_coefficient_accelerated``, the popcount kernel of
anonlink's C++ extension), writes the similarities and pair indices it returns to
``out.npz`` and prints one JSON line: pairs compared, seconds, version.
"""

from __future__ import annotations

import json
import sys
import time

import anonlink  # type: ignore[import-not-found]
import numpy as np
from anonlink.similarities import dice_coefficient_accelerated  # type: ignore[import-not-found]
from bitarray import bitarray  # type: ignore[import-not-found]


def _bitarrays(path: str) -> list[bitarray]:
    out = []
    for row in np.load(path):
        b = bitarray(endian="big")  # np.packbits writes the first bit as the high bit
        b.frombytes(row.tobytes())
        out.append(b)
    return out


def main() -> None:
    left, right, out, threshold = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    a, b = _bitarrays(left), _bitarrays(right)
    t = time.perf_counter()
    sims, (ia, ib) = dice_coefficient_accelerated([a, b], threshold)
    seconds = time.perf_counter() - t
    np.savez(out, sims=np.asarray(sims), left=np.asarray(ia), right=np.asarray(ib))
    print(json.dumps({"pairs": len(a) * len(b), "seconds": seconds,
                      "anonlink": getattr(anonlink, "__version__", "?")}))


if __name__ == "__main__":
    main()
