#!/usr/bin/env bash
# Makes every icon electron-builder and the tray need from the one source image, build/icon.svg.
# Needs Debian's imagemagick (convert) and icnsutils (png2icns): apt-get install -y imagemagick icnsutils
# Usage: scripts/make-icons.sh   (run from anywhere; the outputs are committed, so run it only after
# changing build/icon.svg)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
src="$build/icon.svg"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for tool in convert png2icns; do
  command -v "$tool" >/dev/null || { echo "make-icons: '$tool' not found (apt-get install -y imagemagick icnsutils)" >&2; exit 1; }
done

# Same input, same bytes: no timestamps or comments in the PNGs, so a re-run leaves git clean.
png() { # png <svg> <size> <out>
  convert -background none -density 384 "$1" -resize "$2x$2" -strip \
    -define png:exclude-chunks=date,time,tEXt,zTXt,iTXt png32:"$3"
}

mkdir -p "$build/icons" "$build/tray"

# App icon: PNGs named by size (electron-builder's Linux icon set; 1024 for macOS).
for size in 16 24 32 48 64 128 256 512 1024; do
  png "$src" "$size" "$build/icons/${size}x${size}.png"
done
# electron-builder also looks for build/icon.png (512 or larger) when no per-size set is given.
cp "$build/icons/1024x1024.png" "$build/icon.png"

# Windows: one .ico holding the sizes Explorer and the taskbar ask for.
ico_inputs=()
for size in 16 24 32 48 64 128 256; do ico_inputs+=("$build/icons/${size}x${size}.png"); done
convert "${ico_inputs[@]}" "$build/icon.ico"

# macOS: .icns from the sizes png2icns accepts.
icns_inputs=()
for size in 16 32 48 128 256 512 1024; do icns_inputs+=("$build/icons/${size}x${size}.png"); done
png2icns "$build/icon.icns" "${icns_inputs[@]}" >/dev/null

# Tray, macOS: a template image is black plus alpha (the menu bar recolours it), so take the mark
# alone: drop the background line of the source and paint the mark black.
sed -e '/id="background"/d' -e 's/#3DDC97/#000000/g' "$src" >"$tmp/template.svg"
png "$tmp/template.svg" 16 "$build/tray/trayTemplate.png"
png "$tmp/template.svg" 32 "$build/tray/trayTemplate@2x.png"

# Tray, Linux: panels are light or dark, so the full icon (its own background) reads on both.
for size in 22 24; do
  png "$src" "$size" "$build/tray/tray-${size}.png"
  png "$src" "$((size * 2))" "$build/tray/tray-${size}@2x.png"
done

# Tray, Windows: a small .ico (notification area sizes at 100–200 % scaling).
for size in 16 20 24 32 40 48; do png "$src" "$size" "$tmp/tray-$size.png"; done
convert "$tmp"/tray-16.png "$tmp"/tray-20.png "$tmp"/tray-24.png "$tmp"/tray-32.png \
  "$tmp"/tray-40.png "$tmp"/tray-48.png "$build/tray/tray.ico"

echo "make-icons: wrote $(find "$build/icons" "$build/tray" -type f | wc -l) tray/app images, icon.ico, icon.icns"
