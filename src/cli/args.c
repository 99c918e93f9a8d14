#include "cli/args.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "cli/output_type.h"
#include "cli/report.h"

enum {
    OPT_SCENE = 256, OPT_SKY, OPT_MASK, OPT_SCENE_ALPHA, OPT_SKY_ALPHA, OPT_SAVE_ALPHA,
    OPT_PAIRS, OPT_MODEL, OPT_THREADS, OPT_COMPAT, OPT_TIMINGS, OPT_VERSION, OPT_QUALITY,
    OPT_REPRODUCIBLE, OPT_FORMAT, OPT_SKIP_EXISTING, OPT_SHARD,
    /* the look controls */
    OPT_HARMONIZE, OPT_SKY_SCALE, OPT_SKY_OFFSET, OPT_FLIP_SKY, OPT_SKY_PLATE, OPT_EDGE_SHIFT,
    OPT_EDGE_FADE, OPT_SKY_BRIGHTNESS, OPT_SKY_TEMPERATURE
};

static const struct option long_options[] = {
    {"scene", required_argument, NULL, OPT_SCENE},
    {"sky", required_argument, NULL, OPT_SKY},
    {"mask", required_argument, NULL, OPT_MASK},
    {"output", required_argument, NULL, 'o'},
    {"scene-alpha", required_argument, NULL, OPT_SCENE_ALPHA},
    {"sky-alpha", required_argument, NULL, OPT_SKY_ALPHA},
    {"save-alpha", required_argument, NULL, OPT_SAVE_ALPHA},
    {"pairs", required_argument, NULL, OPT_PAIRS},
    {"model", required_argument, NULL, OPT_MODEL},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"compat", no_argument, NULL, OPT_COMPAT},
    {"timings", no_argument, NULL, OPT_TIMINGS},
    {"reproducible", no_argument, NULL, OPT_REPRODUCIBLE},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {"quality", required_argument, NULL, OPT_QUALITY},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"skip-existing", no_argument, NULL, OPT_SKIP_EXISTING},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"harmonize", optional_argument, NULL, OPT_HARMONIZE},
    {"sky-scale", required_argument, NULL, OPT_SKY_SCALE},
    {"sky-offset", required_argument, NULL, OPT_SKY_OFFSET},
    {"flip-sky", no_argument, NULL, OPT_FLIP_SKY},
    {"sky-plate", no_argument, NULL, OPT_SKY_PLATE},
    {"edge-shift", required_argument, NULL, OPT_EDGE_SHIFT},
    {"edge-fade", required_argument, NULL, OPT_EDGE_FADE},
    {"sky-brightness", required_argument, NULL, OPT_SKY_BRIGHTNESS},
    {"sky-temperature", required_argument, NULL, OPT_SKY_TEMPERATURE},
    {NULL, 0, NULL, 0},
};

/* True when an option's value is one of our long options: in "--mask --scene a.jpg"
 * getopt takes --scene as the value of --mask. (A file of that name: ./--scene.) */
static int value_is_option(const char *value)
{
    if (strncmp(value, "--", 2) != 0)
        return 0;
    size_t n = strcspn(value + 2, "=");
    for (const struct option *o = long_options; o->name; o++)
        if (strlen(o->name) == n && strncmp(o->name, value + 2, n) == 0)
            return 1;
    return 0;
}

static const char *option_name(int c)
{
    for (const struct option *o = long_options; o->name; o++)
        if (o->val == c)
            return o->name;
    return "?";
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The closest long option to a mistyped "--name[=value]", or NULL. */
static const char *closest_option(const char *arg)
{
    char name[64];
    while (*arg == '-')
        arg++;
    snprintf(name, sizeof name, "%s", arg);
    char *eq = strchr(name, '=');
    if (eq)
        *eq = '\0';
    const char *best = NULL;
    size_t best_distance = 3;
    for (const struct option *o = long_options; o->name; o++) {
        size_t d = edit_distance(name, o->name);
        if (d < best_distance) {
            best_distance = d;
            best = o->name;
        }
    }
    return best;
}

static int parse_int(const char *option, const char *text, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi) {
        cli_usage_error("%s: '%s' is not a whole number from %d to %d", option, text, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_float(const char *option, const char *text, float lo, float hi, float *out)
{
    char *end;
    errno = 0;
    float v = strtof(text, &end);
    if (errno || end == text || *end != '\0' || !(v >= lo && v <= hi)) {
        cli_usage_error("%s: '%s' is not a number from %g to %g", option, text, (double)lo,
                        (double)hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_offset(const char *text, sc_options *look)
{
    char *end;
    errno = 0;
    float x = strtof(text, &end);
    if (errno || end == text || *end != ',')
        goto bad;
    const char *y_text = end + 1;
    float y = strtof(y_text, &end);
    if (errno || end == y_text || *end != '\0' || !(x >= -1.f && x <= 1.f) ||
        !(y >= -1.f && y <= 1.f))
        goto bad;
    look->sky_offset_x = x;
    look->sky_offset_y = y;
    return 0;
bad:
    cli_usage_error("--sky-offset: '%s' is not X,Y with both from -1 to 1", text);
    return -1;
}

/* One look option; its ranges are those of sc_options_check. */
static int parse_look(int c, const char *value, cli_args *a)
{
    sc_options *look = &a->look;
    if (!a->look_option)
        a->look_option = option_name(c);
    switch (c) {
    case OPT_HARMONIZE:
        if (!value) {
            look->harmonize = 0.5f;
            return 0;
        }
        return parse_float("--harmonize", value, 0.f, 1.f, &look->harmonize);
    case OPT_SKY_SCALE: return parse_float("--sky-scale", value, 1.f, 8.f, &look->sky_scale);
    case OPT_SKY_OFFSET: return parse_offset(value, look);
    case OPT_FLIP_SKY: look->flip_sky = 1; return 0;
    case OPT_SKY_PLATE: look->sky_plate = 1; return 0;
    case OPT_EDGE_SHIFT:
        return parse_float("--edge-shift", value, -500.f, 500.f, &look->edge_shift);
    case OPT_EDGE_FADE: return parse_float("--edge-fade", value, 0.f, 500.f, &look->edge_fade);
    case OPT_SKY_BRIGHTNESS:
        return parse_float("--sky-brightness", value, -1.f, 1.f, &look->sky_brightness);
    default:
        return parse_float("--sky-temperature", value, -3000.f, 3000.f, &look->sky_temperature);
    }
}

static int parse_shard(const char *text, cli_args *a)
{
    char *end;
    errno = 0;
    long k = strtol(text, &end, 10);
    if (errno || end == text || *end != '/')
        goto bad;
    const char *n_text = end + 1;
    long n = strtol(n_text, &end, 10);
    if (errno || end == n_text || *end != '\0' || n < 1 || n > INT_MAX || k < 1 || k > n)
        goto bad;
    a->shard_index = (int)k;
    a->shard_count = (int)n;
    return 0;
bad:
    cli_usage_error("--shard: '%s' is not K/N with 1 <= K <= N (shards are numbered from 1)",
                    text);
    return -1;
}

static int add_input(cli_args *a, const char *path)
{
    const char **grown = realloc(a->inputs, (a->input_count + 1) * sizeof *grown);
    if (!grown) {
        cli_error(NULL, "out of memory");
        return -1;
    }
    a->inputs = grown;
    a->inputs[a->input_count++] = path;
    return 0;
}

/* Checks that need only the arguments themselves. */
static int check_combination(cli_args *a, int scene_given, int mask_given)
{
    if (a->show_help || a->show_version)
        return 0;
    if (scene_given && mask_given) {
        cli_usage_error("--mask cannot be combined with --scene");
        return -1;
    }
    a->mode = mask_given ? CLI_MODE_MASK : CLI_MODE_REPLACE;
    if (a->look_option && a->mode == CLI_MODE_MASK) {
        cli_usage_error("--%s cannot be used with --mask (it changes the result, not the matte)",
                        a->look_option);
        return -1;
    }
    if (a->look_option && a->compat) {
        cli_usage_error("--%s cannot be used with --compat (the original tool has no such control)",
                        a->look_option);
        return -1;
    }
    if (a->look.sky_plate && a->sky_alpha) {
        cli_usage_error("--sky-plate uses the whole sky photo; do not add --sky-alpha");
        return -1;
    }
    if (a->mode == CLI_MODE_MASK) {
        const char *bad = a->sky ? "--sky" : a->pairs ? "--pairs"
                        : a->scene_alpha ? "--scene-alpha" : a->sky_alpha ? "--sky-alpha"
                        : a->save_alpha ? "--save-alpha" : NULL;
        if (bad) {
            cli_usage_error("%s cannot be used with --mask (it writes the matte itself)", bad);
            return -1;
        }
    } else if (a->pairs) {
        if (a->format) {
            cli_usage_error("--format cannot be used with --pairs: the list names every output");
            return -1;
        }
        if (a->input_count || a->sky || a->sky_alpha || a->scene_alpha) {
            cli_usage_error("--pairs names scenes and skies itself; do not add --scene, --sky, "
                            "--scene-alpha, --sky-alpha or picture arguments");
            return -1;
        }
    } else {
        if (a->input_count == 0) {
            cli_usage_error("nothing to do: give --scene and --sky, --pairs, or --mask");
            return -1;
        }
        if (!a->sky) {
            cli_usage_error("--sky is required with --scene");
            return -1;
        }
    }
    if (a->mode == CLI_MODE_MASK && a->input_count == 0) {
        cli_usage_error("--mask needs a picture");
        return -1;
    }
    if (!a->output && !a->pairs) {
        cli_usage_error("-o is required (a file, a folder for several inputs, or - for stdout)");
        return -1;
    }
    if (a->format) {
        if (cli_output_extension_ok(a->mode, a->format) != 1) {
            char why[192];
            cli_usage_error("--format %s: %s", a->format,
                            cli_output_refusal(a->mode, a->format, "output", why, sizeof why));
            return -1;
        }
    }
    return 0;
}

int cli_args_parse(int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->look = sc_options_default();
    a->quality = 92;
    a->shard_index = 1;
    a->shard_count = 1;
    int scene_given = 0, mask_given = 0, verbose = 0, quiet = 0;

    opterr = 0;
    optind = 0; /* 0: glibc re-initialises getopt fully (a second parse in one process) */
    int c;
    while ((c = getopt_long(argc, argv, ":o:qvh", long_options, NULL)) != -1) {
        int rc = 0;
        if (optarg && value_is_option(optarg)) {
            cli_usage_error("--%s needs a value, not the option '%s'", option_name(c), optarg);
            cli_args_free(a);
            return CLI_EXIT_USAGE;
        }
        switch (c) {
        case OPT_SCENE: scene_given = 1; rc = add_input(a, optarg); break;
        case OPT_MASK: mask_given = 1; rc = add_input(a, optarg); break;
        case OPT_SKY: a->sky = optarg; break;
        case 'o': a->output = optarg; break;
        case OPT_SCENE_ALPHA: a->scene_alpha = optarg; break;
        case OPT_SKY_ALPHA: a->sky_alpha = optarg; break;
        case OPT_SAVE_ALPHA: a->save_alpha = optarg; break;
        case OPT_PAIRS: a->pairs = optarg; break;
        case OPT_MODEL: a->model = optarg; break;
        case OPT_THREADS: rc = parse_int("--threads", optarg, 0, 1024, &a->threads); break;
        case OPT_QUALITY: rc = parse_int("--quality", optarg, 1, 100, &a->quality); break;
        case OPT_FORMAT: a->format = optarg; break;
        case OPT_SHARD: rc = parse_shard(optarg, a); break;
        case OPT_COMPAT: a->compat = 1; break;
        case OPT_TIMINGS: a->timings = 1; break;
        case OPT_REPRODUCIBLE: a->look.reproducible = 1; break;
        case OPT_SKIP_EXISTING: a->skip_existing = 1; break;
        case 'q': quiet = 1; break;
        case 'v': verbose = 1; break;
        case 'h': a->show_help = 1; break;
        case OPT_VERSION: a->show_version = 1; break;
        case OPT_HARMONIZE: case OPT_SKY_SCALE: case OPT_SKY_OFFSET: case OPT_FLIP_SKY:
        case OPT_SKY_PLATE: case OPT_EDGE_SHIFT: case OPT_EDGE_FADE: case OPT_SKY_BRIGHTNESS:
        case OPT_SKY_TEMPERATURE: rc = parse_look(c, optarg, a); break;
        case ':':
            cli_usage_error("option '%s' needs a value", argv[optind - 1]);
            rc = -1;
            break;
        default: {
            const char *arg = argv[optind - 1];
            const char *hint = strncmp(arg, "--", 2) == 0 ? closest_option(arg) : NULL;
            if (hint)
                cli_usage_error("unknown option '%s'; did you mean '--%s'?", arg, hint);
            else if (optopt && strncmp(arg, "--", 2) != 0)
                cli_usage_error("unknown option '-%c'", optopt);
            else
                cli_usage_error("unknown option '%s'", arg);
            rc = -1;
            break;
        }
        }
        if (rc != 0) {
            cli_args_free(a);
            return CLI_EXIT_USAGE;
        }
    }
    if (quiet && verbose) {
        cli_usage_error("-q and -v cannot be used together");
        cli_args_free(a);
        return CLI_EXIT_USAGE;
    }
    a->verbosity = quiet ? -1 : verbose;
    /* Picture arguments after the options join --mask, else --scene. */
    for (int i = optind; i < argc; i++) {
        if (add_input(a, argv[i]) != 0) {
            cli_args_free(a);
            return CLI_EXIT_USAGE;
        }
    }
    if (check_combination(a, scene_given, mask_given) != 0) {
        cli_args_free(a);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

void cli_args_free(cli_args *a)
{
    free(a->inputs);
    a->inputs = NULL;
    a->input_count = 0;
}
