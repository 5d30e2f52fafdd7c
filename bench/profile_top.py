"""The top of a py-spy raw profile (folded stacks): where a worker's samples were, by function.

    python bench/profile_top.py profile.txt [N]

For each function, "own" counts the samples it was running itself and "total" the samples
it was anywhere on the stack (counted once per sample), as a share of the samples taken in
request handling (stacks through Flask's wsgi_app; idle threads waiting for work are left out).
"""

import sys
from collections import Counter


def main(path: str, top: int) -> None:
    own, total, samples = Counter(), Counter(), 0
    with open(path, encoding="utf-8") as lines:
        stacks = list(lines)
    for line in stacks:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        frames = stack.split(";")
        if not any(".wsgi_app (" in frame for frame in frames):
            continue
        n = int(count)
        samples += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    print(f"{samples} samples in request handling")
    print(f"{'own %':>6} {'total %':>7}  function (file:line)")
    # The server's frames around every request (gunicorn, Flask's wsgi_app) are left out.
    inner = [(frame, n) for frame, n in total.most_common() if n < 0.99 * samples]
    for frame, n in inner[:top]:
        print(f"{100 * own[frame] / samples:>6.1f} {100 * n / samples:>7.1f}  {frame}")
    print(f"{'own %':>6}  top by own time")
    for frame, n in own.most_common(top):
        print(f"{100 * n / samples:>6.1f}  {frame}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15)
