#!/usr/bin/env bash
# Builds a new package from the README alone, as a user would: its Package.swift is the README's
# manifest block (the package URL pointed at a file:// clone of this checkout, tagged with
# StreamCodecVersion.current), its main.swift the README's first swift sample; then runs it.
# Fails when the README's snippet or sample no longer builds for a dependent package.
#
#   Scripts/consumer-check.sh [WORK_DIR]     (default: a fresh temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${1:-$(mktemp -d)}
version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/StreamCodecCore/Core/Version.swift)
[ -n "$version" ] || { echo "consumer-check: no version in Version.swift" >&2; exit 1; }

# The upstream: this checkout's working tree as one commit, tagged with the version.
rm -rf "$work/streamconv.git" "$work/MyApp" "$work/tree"
mkdir -p "$work/tree"
git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$work/tree"
(cd "$work/tree" && git init -q && git add -A && git -c user.name=ci -c user.email=ci@localhost commit -qm "snapshot" \
   && git tag "$version" && git clone -q --bare . "$work/streamconv.git")

mkdir -p "$work/MyApp/Sources/MyApp"
python3 - "$root/README.md" "$work/MyApp" "file://$work/streamconv.git" <<'PY'
import re, sys, pathlib
readme, app, url = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2]), sys.argv[3]
blocks = re.findall(r"^```(\w*)\n(.*?)^```", readme, re.S | re.M)
manifest = next(body for lang, body in blocks if "swift-tools-version" in body)
sample = next(body for lang, body in blocks if lang == "swift")
official = "https://github.com/streamconv/streamconv.git"
assert official in manifest, "the README's manifest does not name " + official
# Both products: the commented StreamCodecFoundation line is taken in too.
foundation = '// .product(name: "StreamCodecFoundation", package: "streamconv"),'
assert foundation in manifest, "the README's manifest lost its StreamCodecFoundation line"
manifest = manifest.replace(foundation, foundation[3:])
(app / "Package.swift").write_text(manifest.replace(official, url))
(app / "Sources/MyApp/main.swift").write_text(sample + "\nimport StreamCodecFoundation\n"
    "struct Token: Codable { var text: String }\n"
    "print(try TypedRecordReader.values(of: Token.self, in: Array(#\"{\"text\":\"typed\"}\"#.utf8), format: \"ndjson\")[0].text)\n")
PY
cd "$work/MyApp"
swift build 2>&1 | tee build.log | tail -3
if grep -q "warning:" build.log; then echo "consumer-check: the dependent package's build printed warnings" >&2; exit 1; fi
"$(swift build --show-bin-path)/MyApp" > run.out
grep -qx '{"b":2}' run.out || { echo "consumer-check: the README sample did not print the last record" >&2; cat run.out >&2; exit 1; }
grep -qx 'typed' run.out || { echo "consumer-check: StreamCodecFoundation did not decode a typed record" >&2; cat run.out >&2; exit 1; }
echo "consumer-check: a package built from the README's snippet alone builds and runs ($work/MyApp)"
