#include "cli/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "cli/input_list.h"
#include "cli/output_type.h"
#include "cli/paths.h"
#include "cli/report.h"

void cli_plan_free(cli_plan *plan)
{
    free(plan->jobs);
    cli_string_pool_free(&plan->strings);
    memset(plan, 0, sizeof *plan);
}

/* A list names the same sky on line after line: such a field is stored once. */
static int copy_field(cli_plan *plan, char **dst, const char *src, const char *previous)
{
    *dst = NULL;
    if (!src)
        return 0;
    if (previous && strcmp(previous, src) == 0) {
        *dst = (char *)previous;
        return 0;
    }
    *dst = cli_string_pool_copy(&plan->strings, src);
    return *dst ? 0 : -1;
}

int cli_plan_add(cli_plan *plan, const cli_job *job)
{
    if (plan->count == plan->capacity) {
        size_t capacity = plan->capacity ? 2 * plan->capacity : 16;
        cli_job *grown = realloc(plan->jobs, capacity * sizeof *grown);
        if (!grown)
            return -1;
        plan->jobs = grown;
        plan->capacity = capacity;
    }
    const cli_job none = {0};
    const cli_job *last = plan->count ? &plan->jobs[plan->count - 1] : &none;
    cli_job copy;
    int rc = copy_field(plan, &copy.scene, job->scene, last->scene) |
             copy_field(plan, &copy.sky, job->sky, last->sky) |
             copy_field(plan, &copy.output, job->output, last->output) |
             copy_field(plan, &copy.scene_alpha, job->scene_alpha, last->scene_alpha) |
             copy_field(plan, &copy.sky_alpha, job->sky_alpha, last->sky_alpha) |
             copy_field(plan, &copy.save_alpha, job->save_alpha, last->save_alpha);
    if (rc != 0)
        return -1; /* what was copied stays in plan->strings until cli_plan_free */
    plan->jobs[plan->count++] = copy;
    return 0;
}

static int out_of_memory(void)
{
    cli_error(NULL, "out of memory");
    return CLI_EXIT_FAILED;
}

/* folder/stem.ext for an input picture. */
static char *path_in_folder(const char *folder, const char *input, const char *ext)
{
    char *stem = cli_path_stem(input);
    if (!stem)
        return NULL;
    size_t n = strlen(stem) + strlen(ext) + 2;
    char *name = malloc(n);
    char *path = NULL;
    if (name) {
        snprintf(name, n, "%s.%s", stem, ext);
        path = cli_path_join(folder, name);
    }
    free(name);
    free(stem);
    return path;
}

/* A matte folder holds stem.png (what --save-alpha writes), stem.pfm or another
 * picture type, tried in this order. */
static char *find_matte(const char *folder, const char *input)
{
    static const char *const types[] = {"png", "pfm", "bmp", "tga", "jpg", "jpeg"};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        char *path = path_in_folder(folder, input, types[i]);
        if (!path || cli_exists(path))
            return path;
        free(path);
    }
    return NULL;
}

static int ends_with_slash(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && s[n - 1] == '/';
}

static int prepare_output_folder(const char *folder, const char *what)
{
    if (cli_exists(folder) && !cli_is_dir(folder)) {
        cli_usage_error("%s: %s must be a folder here, but it is a file", folder, what);
        return CLI_EXIT_USAGE;
    }
    if (cli_make_dirs(folder) != 0) {
        cli_error(folder, "cannot create folder: %s", strerror(errno));
        return CLI_EXIT_FAILED;
    }
    return 0;
}

/* Where the results and saved mattes of --scene/--mask inputs go. */
typedef struct output_layout {
    int out_is_folder, alpha_is_folder;
} output_layout;

/* A batch writes into a folder: a name like out.png there is a slip, and a folder of
 * that name would surprise. A trailing slash asks for the folder on purpose. */
static int picture_name_for_folder(cli_mode mode, const char *path)
{
    return !ends_with_slash(path) && !cli_is_dir(path) && cli_output_type_ok(mode, path) != 0;
}

/* Why path's type cannot be written by the mode, into why. */
static const char *refusal(cli_mode mode, const char *path, const char *what, char *why,
                           size_t size)
{
    char ext[8];
    return cli_output_refusal(mode, cli_path_ext(path, ext, sizeof ext), what, why, size);
}

/* Checks -o, --save-alpha and --scene-alpha against the kind of run. */
static int check_layout(const cli_args *a, int batch, const output_layout *l)
{
    char why[192];
    if (l->out_is_folder && strcmp(a->output, "-") == 0) {
        cli_usage_error("-o -: standard output takes only one picture");
    } else if (batch && picture_name_for_folder(a->mode, a->output)) {
        cli_usage_error("-o %s: several pictures need an output folder, not a file name "
                        "(end it with / for a folder of that name)", a->output);
    } else if (batch && a->save_alpha && picture_name_for_folder(CLI_MODE_MASK, a->save_alpha)) {
        cli_usage_error("--save-alpha %s: several pictures need a matte folder, not a file "
                        "name (end it with / for a folder of that name)", a->save_alpha);
    } else if (!l->out_is_folder && strcmp(a->output, "-") != 0 &&
               cli_output_type_ok(a->mode, a->output) != 1) {
        cli_usage_error("%s: %s%s", a->output,
                        refusal(a->mode, a->output, "output", why, sizeof why),
                        cli_output_type_ok(a->mode, a->output) == 0
                            ? " (or end it with / for a folder)" : "");
    } else if (batch && a->scene_alpha && !cli_is_dir(a->scene_alpha)) {
        cli_usage_error("%s: --scene-alpha must be a folder of mattes with several scenes",
                        a->scene_alpha);
    } else if (a->save_alpha && strcmp(a->save_alpha, "-") == 0) {
        cli_usage_error("--save-alpha -: the matte needs a file or folder name");
    } else if (a->save_alpha && !l->alpha_is_folder &&
               cli_output_type_ok(CLI_MODE_MASK, a->save_alpha) != 1) {
        cli_usage_error("%s: %s", a->save_alpha,
                        refusal(CLI_MODE_MASK, a->save_alpha, "matte", why, sizeof why));
    } else {
        /* Results written among the inputs would become inputs of the next run. */
        for (size_t i = 0; batch && i < a->input_count; i++) {
            if (cli_is_dir(a->inputs[i]) && cli_same_file(a->inputs[i], a->output)) {
                cli_usage_error("%s: the output folder must not be an input folder",
                                a->output);
                return CLI_EXIT_USAGE;
            }
        }
        return 0;
    }
    return CLI_EXIT_USAGE;
}

static int add_input_job(const cli_args *a, const char *scene, int batch,
                         const output_layout *l, cli_plan *plan)
{
    const char *ext = a->format ? a->format : "png";
    char *output = l->out_is_folder ? path_in_folder(a->output, scene, ext) : NULL;
    char *scene_alpha = batch && a->scene_alpha ? find_matte(a->scene_alpha, scene) : NULL;
    char *save_alpha = l->alpha_is_folder ? path_in_folder(a->save_alpha, scene, "png") : NULL;
    cli_job job;
    job.scene = (char *)scene;
    job.sky = a->mode == CLI_MODE_MASK ? NULL : (char *)a->sky;
    job.sky_alpha = (char *)a->sky_alpha;
    job.output = l->out_is_folder ? output : (char *)a->output;
    job.scene_alpha = batch ? scene_alpha : (char *)a->scene_alpha;
    job.save_alpha = l->alpha_is_folder ? save_alpha : (char *)a->save_alpha;
    int rc = 0;
    if ((l->out_is_folder && !output) || (l->alpha_is_folder && !save_alpha) ||
        cli_plan_add(plan, &job) != 0)
        rc = out_of_memory();
    free(output);
    free(scene_alpha);
    free(save_alpha);
    return rc;
}

/* Jobs from --scene/--mask files and folders. */
static int plan_from_inputs(const cli_args *a, cli_plan *plan)
{
    cli_path_list inputs = {0};
    int rc = cli_collect_inputs(a->inputs, a->input_count, &inputs);
    plan->batch = inputs.count > 1;
    for (size_t i = 0; i < a->input_count; i++)
        if (cli_is_dir(a->inputs[i]))
            plan->batch = 1;
    output_layout layout;
    layout.out_is_folder = plan->batch || ends_with_slash(a->output) || cli_is_dir(a->output);
    layout.alpha_is_folder = a->save_alpha && (plan->batch || ends_with_slash(a->save_alpha) ||
                                               cli_is_dir(a->save_alpha));
    if (!rc)
        rc = check_layout(a, plan->batch, &layout);
    if (!rc && layout.out_is_folder)
        rc = prepare_output_folder(a->output, "-o");
    if (!rc && layout.alpha_is_folder)
        rc = prepare_output_folder(a->save_alpha, "--save-alpha");
    for (size_t i = 0; !rc && i < inputs.count; i++)
        rc = add_input_job(a, inputs.paths[i], plan->batch, &layout, plan);
    cli_path_list_free(&inputs);
    return rc;
}

static int plan_from_pairs(const cli_args *a, cli_plan *plan)
{
    if (a->output) {
        cli_usage_error("-o cannot be used with --pairs: the list names every output");
        return CLI_EXIT_USAGE;
    }
    plan->batch = 1;
    int rc = cli_pairs_read(a->pairs, plan);
    if (rc)
        return rc;
    for (size_t i = 0; i < plan->count; i++) {
        char *dir = cli_path_dirname(plan->jobs[i].output);
        if (!dir)
            return out_of_memory();
        rc = prepare_output_folder(dir, "the output's folder");
        free(dir);
        if (rc)
            return rc;
    }
    if (a->save_alpha) {
        rc = prepare_output_folder(a->save_alpha, "--save-alpha");
        for (size_t i = 0; !rc && i < plan->count; i++) {
            cli_job *job = &plan->jobs[i];
            char *path = path_in_folder(a->save_alpha, job->output, "png");
            job->save_alpha = path ? cli_string_pool_copy(&plan->strings, path) : NULL;
            free(path);
            if (!job->save_alpha)
                rc = out_of_memory();
        }
    }
    return rc;
}

/* Keeps every shard_count-th job starting at shard_index (1-based). */
static void keep_shard(cli_plan *plan, int index, int count)
{
    size_t kept = 0;
    for (size_t i = 0; i < plan->count; i++)
        if (i % (size_t)count == (size_t)(index - 1))
            plan->jobs[kept++] = plan->jobs[i];
    plan->count = kept;
}

static int compare_names(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

typedef struct numbered_job {
    cli_job job;
    size_t line;
} numbered_job;

static int by_sky_then_line(const void *pa, const void *pb)
{
    const numbered_job *a = pa, *b = pb;
    int c = compare_names(a->job.sky, b->job.sky);
    if (!c)
        c = compare_names(a->job.sky_alpha, b->job.sky_alpha);
    if (!c)
        c = (a->line > b->line) - (a->line < b->line);
    return c;
}

/* A pairs list runs grouped by sky photo (in list order within a group): each sky is then
 * decoded and matted once, however the lines are ordered. Left in list order if memory is
 * short, which only costs time. */
static void group_by_sky(cli_plan *plan)
{
    numbered_job *sorted = malloc(plan->count * sizeof *sorted);
    if (!sorted)
        return;
    for (size_t i = 0; i < plan->count; i++)
        sorted[i] = (numbered_job){plan->jobs[i], i};
    qsort(sorted, plan->count, sizeof *sorted, by_sky_then_line);
    for (size_t i = 0; i < plan->count; i++)
        plan->jobs[i] = sorted[i].job;
    free(sorted);
}

int cli_plan_build(const cli_args *a, cli_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    int rc = a->pairs ? plan_from_pairs(a, plan) : plan_from_inputs(a, plan);
    if (!rc)
        rc = cli_plan_check(plan);
    if (rc) {
        cli_plan_free(plan);
        return rc;
    }
    plan->total = plan->count;
    keep_shard(plan, a->shard_index, a->shard_count);
    if (a->pairs && plan->count > 1)
        group_by_sky(plan);
    return 0;
}
