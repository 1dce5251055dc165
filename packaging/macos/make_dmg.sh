#!/usr/bin/env bash
# Make the macOS disk image: kamdesk.app beside an Applications link, so people drag it across.
#
#   packaging/macos/make_dmg.sh dist/kamdesk.app OUT_DIR [VERSION]
#
# Signing and notarisation run only when their secrets are in the environment, and are skipped
# with a note otherwise (the image is then unsigned: Gatekeeper asks people to confirm on first open).
#   MACOS_CERTIFICATE           base64 of a "Developer ID Application" .p12 (imported into a
#   MACOS_CERTIFICATE_PASSWORD  throw-away keychain, deleted on exit)
#   MACOS_SIGNING_IDENTITY      the identity to sign with, e.g. "Developer ID Application: Name (TEAMID)";
#                               found in the imported certificate when not given
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   notarytool credentials (app-specific password)
set -euo pipefail

usage() { echo "usage: $0 PATH/TO/kamdesk.app OUT_DIR [VERSION]" >&2; exit 2; }
[ $# -ge 2 ] || usage
APP=${1%/}
OUT_DIR=$2
[ -d "$APP" ] || { echo "no app bundle at $APP" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ENTITLEMENTS="$HERE/entitlements.plist"
VERSION=${3:-$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist")}
ARCH=${DMG_ARCH:-$(uname -m)}
NAME=$(basename "$APP" .app)
mkdir -p "$OUT_DIR"
DMG="$(cd "$OUT_DIR" && pwd)/$NAME-$VERSION-macos-$ARCH.dmg"

WORK=$(mktemp -d)
KEYCHAIN=""
cleanup() {
  if [ -n "$KEYCHAIN" ]; then security delete-keychain "$KEYCHAIN" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- signing identity -----------------------------------------------------------------------
IDENTITY=${MACOS_SIGNING_IDENTITY:-}
if [ -n "${MACOS_CERTIFICATE:-}" ] && [ -n "${MACOS_CERTIFICATE_PASSWORD:-}" ]; then
  echo "Importing the signing certificate into a temporary keychain"
  KEYCHAIN="$WORK/signing.keychain-db"
  KEYCHAIN_PASSWORD=$(uuidgen)
  security create-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
  security set-keychain-settings -lut 3600 "$KEYCHAIN"
  security unlock-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
  printf '%s' "$MACOS_CERTIFICATE" | base64 --decode > "$WORK/certificate.p12"
  security import "$WORK/certificate.p12" -k "$KEYCHAIN" -P "$MACOS_CERTIFICATE_PASSWORD" \
    -T /usr/bin/codesign -T /usr/bin/security >/dev/null
  rm -f "$WORK/certificate.p12"
  security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k "$KEYCHAIN_PASSWORD" "$KEYCHAIN" >/dev/null
  # Search the temporary keychain first, then the user's usual ones.
  # shellcheck disable=SC2046
  security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
  if [ -z "$IDENTITY" ]; then
    IDENTITY=$(security find-identity -v -p codesigning "$KEYCHAIN" \
      | sed -n 's/.*"\(Developer ID Application:[^"]*\)".*/\1/p' | head -n 1)
  fi
fi

if [ -n "$IDENTITY" ]; then
  echo "Signing $APP as \"$IDENTITY\" (hardened runtime)"
  codesign --force --deep --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
    --sign "$IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "Signing skipped: no MACOS_SIGNING_IDENTITY or MACOS_CERTIFICATE in the environment"
fi

# --- the disk image ---------------------------------------------------------------------------
STAGE="$WORK/stage"
mkdir -p "$STAGE"
ditto "$APP" "$STAGE/$NAME.app"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "$NAME $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG" >/dev/null
hdiutil verify "$DMG" >/dev/null

if [ -n "$IDENTITY" ]; then
  codesign --force --timestamp --sign "$IDENTITY" "$DMG"
fi

# --- notarisation -------------------------------------------------------------------------------
if [ -n "$IDENTITY" ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  echo "Notarising $DMG (this waits for Apple's answer)"
  xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait --timeout 1h
  xcrun stapler staple "$DMG"
  xcrun stapler validate "$DMG"
elif [ -n "${APPLE_ID:-}${APPLE_TEAM_ID:-}${APPLE_APP_PASSWORD:-}" ] && [ -z "$IDENTITY" ]; then
  echo "Notarisation skipped: an unsigned app cannot be notarised (no signing identity)"
else
  echo "Notarisation skipped: APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD are not all set"
fi

echo "$DMG"
