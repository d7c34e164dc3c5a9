#!/usr/bin/env bash
# Builds the DocC documentation with the toolchain's own docc (no package plugin, no
# dependency) and fails on any docc warning and on any public symbol without a doc comment.
#
#   Scripts/docs.sh [OUTPUT_DIR]     (default .build/docs; run from anywhere)
#
# Modules: StreamCodec, whose symbol graph includes the re-exported StreamCodecCore (so the
# catalog Sources/StreamCodec/StreamCodec.docc documents every public type a user of
# `import StreamCodec` sees), and StreamCodecFoundation (no catalog: its symbols' own pages).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/docs}
graphs=.build/symbol-graphs
rm -rf "$graphs" "$out"
mkdir -p "$graphs/StreamCodec" "$graphs/StreamCodecFoundation" "$graphs/core-check" "$out"

swift build --target StreamCodecFoundation >/dev/null
modules=$(swift build --show-bin-path)/Modules
[ -d "$modules" ] || modules=$(swift build --show-bin-path)
triple=$(swift -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')

extract() { # MODULE DIR [extra flags]
  swift-symbolgraph-extract -module-name "$1" -I "$modules" -I Sources/StreamCodecSIMD/include -target "$triple" -output-dir "$2" \
    -minimum-access-level public -skip-synthesized-members "${@:3}"
}
extract StreamCodec "$graphs/StreamCodec" -experimental-allowed-reexported-modules=StreamCodecCore
# Symbols the re-export leaves out of StreamCodec's graph (a namespace enum such as
# StreamCodecVersion) are checked from the core's own graph.
extract StreamCodecCore "$graphs/core-check"
extract StreamCodecFoundation "$graphs/StreamCodecFoundation"

echo "== public symbols without a doc comment"
python3 - "$graphs/StreamCodec" "$graphs/core-check" "$graphs/StreamCodecFoundation" <<'PY'
import json, pathlib, sys
missing = []
for directory in sys.argv[1:]:
    for path in sorted(pathlib.Path(directory).glob("*.symbols.json")):
        if "@" in path.name:
            continue  # extensions of other modules' types (AsyncSequence): their members are in the main graph too
        graph = json.loads(path.read_text())
        for symbol in graph["symbols"]:
            if symbol.get("accessLevel") != "public" or symbol.get("docComment"):
                continue
            # An implementation of a protocol requirement without a comment of its own carries the
            # requirement's comment in the graph (docc shows it), so it counts as documented: only
            # symbols that would show no text at all are reported.
            name = "/".join(symbol["pathComponents"])
            module = "StreamCodecFoundation" if "Foundation" in directory else "StreamCodec"
            missing.append(f'{module}: {symbol["kind"]["identifier"]} {name}')
for line in sorted(set(missing)):
    print("undocumented:", line)
if missing:
    sys.exit(f"{len(set(missing))} public symbols have no doc comment: document them (///) or make them internal")
print("every public symbol has a doc comment")
PY

echo "== docc convert (warnings are errors)"
docc convert Sources/StreamCodec/StreamCodec.docc --additional-symbol-graph-dir "$graphs/StreamCodec" \
  --fallback-display-name StreamCodec --fallback-bundle-identifier org.streamconv.StreamCodec \
  --warnings-as-errors --output-path "$out/StreamCodec"
docc convert --additional-symbol-graph-dir "$graphs/StreamCodecFoundation" \
  --fallback-display-name StreamCodecFoundation --fallback-bundle-identifier org.streamconv.StreamCodecFoundation \
  --warnings-as-errors --output-path "$out/StreamCodecFoundation"
echo "documentation in $out"
