"""Fetches the photographs of tools/train/extra_photos.csv into EXTRA/<file>.

Each row names a public repository, a commit and a path; the picture is written with the
repository's bytes unchanged. Repositories are cloned bare into MIRRORS/<owner>+<name> (or found
there already, e.g. copied from another machine); pictures already in EXTRA are left alone.
Rows whose split is `unused` are fetched too, so that the judgements in the list can be checked.

    python3 -m tools.train.fetch_extra_photos --extra .data/extra --mirrors .data/mirrors
    python3 -m tools.train.make_pseudo_lists --extra .data/extra
"""
import argparse
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def git_dir(mirrors, repo):
    """The bare clone of repo under mirrors, cloned from GitHub when it is not there yet."""
    base = os.path.join(mirrors, repo.replace("/", "+"))
    for candidate in (base, os.path.join(base, "repo"), os.path.join(base, "repo", ".git")):
        if os.path.isfile(os.path.join(candidate, "HEAD")):
            return candidate
    os.makedirs(mirrors, exist_ok=True)
    url = "https://github.com/%s.git" % repo
    if subprocess.call(["git", "clone", "--bare", "--quiet", url, base]) != 0:
        sys.exit("fetch_extra_photos.py: cannot clone %s into %s" % (url, base))
    return base


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extra", default=".data/extra", help="folder to write the photographs to")
    ap.add_argument("--mirrors", default=".data/mirrors", help="folder of bare clones")
    ap.add_argument("--list", default=os.path.join(HERE, "extra_photos.csv"))
    args = ap.parse_args()
    with open(args.list, newline="") as f:
        rows = list(csv.DictReader(f))
    fetched = 0
    for r in rows:
        out = os.path.join(args.extra, r["file"])
        if os.path.exists(out):
            continue
        where = git_dir(args.mirrors, r["repo"])
        blob = subprocess.run(["git", "--git-dir", where, "show",
                               "%s:%s" % (r["commit"], r["original_path"])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if blob.returncode != 0:
            sys.exit("fetch_extra_photos.py: %s @ %s: %s: %s" % (
                r["repo"], r["commit"], r["original_path"], blob.stderr.decode().strip()))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out + ".part", "wb") as f:
            f.write(blob.stdout)
        os.replace(out + ".part", out)
        fetched += 1
    print("%d photographs fetched, %d were there already" % (fetched, len(rows) - fetched))


if __name__ == "__main__":
    main()
