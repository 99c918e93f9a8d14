# The installed package as a user gets it: `cmake --install` into a scratch
# prefix, then examples/replace_sky.c built against it three times (pkg-config,
# the static library through pkg-config --static, find_package) and run; the shared library exports the calls of skychange.h only.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
prefix=$WORK/prefix
cmake --install "$BUILD_DIR" --prefix "$prefix" >install.log
lib=$(dirname "$(find "$prefix" -name 'libskychange.so' | head -1)")
[ -n "$lib" ] || fail "no libskychange.so installed under $prefix"
so=$(readlink -f "$lib/libskychange.so")
soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[ "$soname" = "libskychange.so.0.3" ] || fail "SONAME is '$soname'"

# Exported: exactly the SC_API declarations of the header.
header=$prefix/include/skychange.h
nm -D --defined-only "$so" | awk '{print $3}' | sort >exported
grep -o '^SC_API [^(]*(' "$header" | sed 's/($//; s/.*[ *]//' | sort >declared
cmp -s exported declared || { diff exported declared >&2; fail "exported symbols differ from skychange.h"; }

photos=$SRC_DIR/tests/data/photos
export SKYCHANGE_MODEL=$SRC_DIR/models/skychange-default.safetensors
"$SKYCHANGE" --scene "$photos/sunset.jpg" --sky "$photos/picos.jpg" -o cli.png

# A sanitizer build installs an instrumented library: the example must load the
# sanitizer runtime first, as the project's own programs do.
sanitize=""
# here-strings, not pipes: grep -q stops at the first match, and with pipefail objdump
# could die of SIGPIPE and turn a match into a failure
grep -q 'NEEDED.*libasan' <<<"$(objdump -p "$so")" && sanitize="-fsanitize=address,undefined"

# 1. pkg-config
export PKG_CONFIG_PATH=$lib/pkgconfig
# shellcheck disable=SC2086
cc $sanitize -o with_pkgconfig "$SRC_DIR/examples/replace_sky.c" \
    $(pkg-config --cflags --libs skychange) -Wl,-rpath,"$lib"
./with_pkgconfig "$photos/sunset.jpg" "$photos/picos.jpg" a.png
cmp -s a.png cli.png || fail "the pkg-config build's result differs from the CLI's"

# 1b. the static library, with every dependency pkg-config --static names
# (Requires.private: libheif, libwebp, libtiff and the rest); a WebP result,
# so that the picture libraries are linked for real.
# shellcheck disable=SC2086
cc $sanitize -o static "$SRC_DIR/examples/replace_sky.c" $(pkg-config --cflags skychange) \
    "$lib/libskychange.a" $(pkg-config --static --libs skychange | sed 's/-lskychange//')
grep -q 'NEEDED.*libskychange' <<<"$(objdump -p static)" && fail "the static build needs libskychange.so"
./static "$photos/sunset.jpg" "$photos/picos.jpg" static.webp
[ "$(od -An -c -j8 -N4 static.webp | tr -d ' ')" = WEBP ] || fail "the static build wrote no WebP"

# 2. find_package(skychange)
cmake -S "$SRC_DIR/examples" -B example -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_RPATH="$lib" -DCMAKE_C_FLAGS="$sanitize" >cmake.log
cmake --build example >>cmake.log
./example/replace_sky "$photos/sunset.jpg" "$photos/picos.jpg" b.png
cmp -s b.png cli.png || fail "the find_package build's result differs from the CLI's"

# A missing model: one line naming the places tried, exit 1.
SKYCHANGE_MODEL=/nonexistent/model.safetensors ./with_pkgconfig "$photos/sunset.jpg" \
    "$photos/picos.jpg" c.png 2>err && fail "ran without a model"
grep -q "nonexistent/model.safetensors" err || fail "the error does not name the model: $(cat err)"
[ ! -e c.png ] || fail "wrote a result without a model"
echo "ok"
