/* The --help text. Every option here is also described in docs/skychange.1. */
#include <stdio.h>

#include "cli/args.h"

static const char help_text[] =
    "Usage: skychange --scene PICTURE --sky PICTURE -o OUTPUT [options]\n"
    "       skychange --scene FOLDER|PICTURE... --sky PICTURE -o FOLDER [options]\n"
    "       skychange --pairs LIST [options]\n"
    "       skychange --mask PICTURE|FOLDER... -o OUTPUT [options]\n"
    "Replace the sky of a photo (the scene) with the sky of another photo.\n"
    "\n"
    "Inputs and outputs:\n"
    "  --scene PATH         photo whose sky is replaced; a folder or several pictures\n"
    "                       make a batch (pictures after the options count as scenes)\n"
    "  --sky PICTURE        photo that gives the new sky (matted once per batch)\n"
    "  -o, --output PATH    result: .png, .jpg/.jpeg or .bmp; - writes PNG to stdout;\n"
    "                       a folder (created if missing) in batch mode\n"
    "  --mask PATH          write the sky matte of a picture instead: 8-bit grey PNG\n"
    "                       (255 = sky) or float32 .pfm, at the picture's size\n"
    "  --pairs LIST         batch from a list of scene<TAB>sky<TAB>output lines\n"
    "                       [<TAB>scene matte [<TAB>sky matte]]; # comments; paths\n"
    "                       relative to the list's folder; - reads standard input\n"
    "  --scene-alpha PATH   use this scene matte instead of computing it (in a batch:\n"
    "                       a folder with a matte NAME.png, .pfm, .bmp... per scene\n"
    "                       NAME.*; scenes without one get a computed matte)\n"
    "  --sky-alpha FILE     use this sky matte instead of computing it\n"
    "  --save-alpha PATH    also write the scene's matte (a folder in batch mode)\n"
    "  --format png|jpg|bmp batch output type (png); with --mask: png|pfm\n"
    "  --quality N          JPEG quality 1..100 (92)\n"
    "\n"
    "Batches:\n"
    "  --skip-existing      leave inputs whose output already exists\n"
    "  --shard K/N          do inputs K, K+N, K+2N, ... of the sorted list (K from 1)\n"
    "\n"
    "Processing:\n"
    "  --model FILE         model (default: $SKYCHANGE_MODEL, else the installed model)\n"
    "  --threads N          worker threads (0 = all cores, the default); results do not\n"
    "                       depend on N\n"
    "  --compat             reproduce the original ModelScope tool bit for bit (its\n"
    "                       Q1 patch bug, its rounding, and its blend tinting the\n"
    "                       ground far from the sky, which the default mode keeps)\n"
    "  --timings            per-stage times on stderr\n"
    "  -q, --quiet          only errors\n"
    "  -v, --verbose        more detail\n"
    "  --version            tool version and model identity\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 all done (a scene without sky is written unchanged with a\n"
    "warning), 1 some inputs failed, 2 usage error, 3 model missing or unusable,\n"
    "128+N a batch stopped by signal N after finishing its current file.\n"
    "See skychange(1) for details and examples.\n";

void cli_print_help(void)
{
    fputs(help_text, stdout);
}
