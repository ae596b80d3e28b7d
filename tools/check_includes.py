#!/usr/bin/env python3
"""Checks that #include directives follow the module order of STYLE.md.

  tools/check_includes.py [--root DIR]

Order (a module may include only modules on a lower layer, never one on its own layer):
  common <- {sql, storage} <- catalog <- {lineage, glossary} <- policy <- {ingest, query}
         <- search <- server <- tools
Third-party libraries stay behind one module: RocksDB in src/storage, Beast/Asio in src/server,
Boost.Graph in src/lineage, Xapian in src/search.

A file belongs to the module of its folder (src/<module>/..., sub-libraries such as
src/ingest/<source>/ included; tools/ is the top). tests/, bench/ and fuzz/ are consumers outside
the order: only the third-party rules apply to them. Quoted includes whose first path component is
a module name are checked; generated protobuf headers (tidemark/v1/...), tests/testing/ and
third-party headers are not modules. Exit code 0 when clean, 1 with one line per violation.
"""

import argparse
import os
import re
import sys

# Layer of each module; a module may include modules of a strictly lower layer. Modules that do
# not exist yet (sql, policy, search) are listed so that they are checked when they arrive.
LAYERS = {
    "common": 0,
    "sql": 1,
    "storage": 1,
    "catalog": 2,
    "lineage": 3,
    "glossary": 3,
    "policy": 4,
    "ingest": 5,
    "query": 5,
    "search": 6,
    "server": 7,
    "tools": 8,
}

ORDER = ("common <- {sql, storage} <- catalog <- {lineage, glossary} <- policy <- {ingest, query} "
         "<- search <- server <- tools")

# (regex on the included path, the only folder allowed to include it, library name)
THIRD_PARTY = [
    (re.compile(r"^rocksdb/"), "src/storage/", "RocksDB"),
    (re.compile(r"^boost/(beast|asio)(/|\.hpp$)"), "src/server/", "Beast/Asio"),
    (re.compile(r"^asio(/|\.hpp$)"), "src/server/", "Asio"),
    (re.compile(r"^boost/graph/"), "src/lineage/", "Boost.Graph"),
    (re.compile(r"^xapian(/|\.h$)"), "src/search/", "Xapian"),
]

SCANNED_DIRS = ("src", "tools", "tests", "bench", "fuzz")
EXTENSIONS = (".h", ".hh", ".hpp", ".cc", ".cpp", ".inc")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def module_of(rel_path):
    """The module a file belongs to, None for consumers outside the order (tests, bench, fuzz)."""
    parts = rel_path.split("/")
    if parts[0] == "tools":
        return "tools"
    if parts[0] == "src" and len(parts) > 2:
        return parts[1]
    return None


def check_file(root, rel_path, problems):
    module = module_of(rel_path)
    if module is not None and module not in LAYERS:
        problems.append(f"{rel_path}: src/{module}/ is not in the module table of "
                        f"tools/check_includes.py; add it at its place in the order ({ORDER})")
        return
    with open(os.path.join(root, rel_path), encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quote, included = m.group(1), m.group(2)
            where = f'{rel_path}:{number}: #include {quote}{included}{">" if quote == "<" else quote}'
            for pattern, allowed, library in THIRD_PARTY:
                if pattern.match(included) and not rel_path.startswith(allowed):
                    problems.append(f"{where}: {library} may only be included in {allowed}")
            target = included.split("/", 1)[0] if "/" in included else None
            if quote != '"' or module is None or target not in LAYERS or target == module:
                continue
            if LAYERS[target] == LAYERS[module]:
                problems.append(f"{where}: {module} and {target} are on the same layer and never "
                                f"include each other (order: {ORDER})")
            elif LAYERS[target] > LAYERS[module]:
                problems.append(f"{where}: {module} may not include {target}, which is above it "
                                f"(order: {ORDER})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."),
                        help="the source tree to check (default: this checkout)")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    problems = []
    checked = 0
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules", "build"))
            for name in sorted(filenames):
                if name.endswith(EXTENSIONS):
                    rel_path = os.path.relpath(os.path.join(dirpath, name), root)
                    check_file(root, rel_path.replace(os.sep, "/"), problems)
                    checked += 1
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"check_includes: {len(problems)} include(s) against the module order of STYLE.md "
              f"in {checked} files", file=sys.stderr)
        return 1
    print(f"check_includes: {checked} files follow the module order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
