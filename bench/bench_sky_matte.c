/*
 * The sky photo's matte at a reduced refine canvas (sc_sky_matte_compute)
 * against the full one: does the clear sky rectangle the blender cuts from
 * the sky photo stay the same, and what does it save?
 *
 *   bench_sky_matte --model M [--threads N] [--canvas C]... PICTURE...
 *
 * For each picture: the patch from the full matte and from each canvas C
 * (default 384, 512, 640), and the largest distance between their corners in
 * the sky photo's pixels. Prints per canvas how many patches are identical,
 * the median and worst corner distance, and the summed matte times.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blend/blend.h"
#include "core/clock.h"
#include "matting/matte_canvas.h"
#include "skychange.h"

#define MAX_CANVASES 8

static int corner_distance(const sc_sky_patch *a, const sc_sky_patch *b)
{
    int d[4] = {abs(a->x0 - b->x0), abs(a->y0 - b->y0), abs(a->x1 - b->x1), abs(a->y1 - b->y1)};
    int worst = 0;
    for (int i = 0; i < 4; i++)
        worst = d[i] > worst ? d[i] : worst;
    return worst;
}

static int by_value(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
    const char *model_path = getenv("SKYCHANGE_MODEL");
    int threads = 0, canvases[MAX_CANVASES], n_canvases = 0, first_picture = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model_path = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--canvas") && i + 1 < argc && n_canvases < MAX_CANVASES)
            canvases[n_canvases++] = atoi(argv[++i]);
        else { first_picture = i; break; }
    }
    if (!model_path || first_picture >= argc) {
        fprintf(stderr, "usage: bench_sky_matte --model M [--threads N] [--canvas C]... PICTURE...\n");
        return 2;
    }
    if (!n_canvases) {
        const int defaults[] = {384, 512, 640};
        for (int i = 0; i < 3; i++)
            canvases[n_canvases++] = defaults[i];
    }
    sc_error err = {0};
    sc_model *model = NULL;
    if (sc_model_load(model_path, &model, &err) != SC_OK) {
        fprintf(stderr, "bench_sky_matte: %s\n", err.msg);
        return 3;
    }
    sc_options opt = sc_options_default();
    opt.threads = threads;
    int pictures = argc - first_picture, counted = 0;
    int *dist = calloc((size_t)pictures * MAX_CANVASES, sizeof *dist);
    int same[MAX_CANVASES] = {0};
    double t_full = 0, t_small[MAX_CANVASES] = {0};
    for (int p = first_picture; p < argc; p++) {
        sc_image img;
        sc_matte full;
        sc_sky_patch want, got;
        if (sc_image_read(argv[p], &img, &err) != SC_OK) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        double t0 = sc_now();
        if (sc_matte_compute(model, &img, &opt, &full, &err) != SC_OK) {
            fprintf(stderr, "%s: %s\n", argv[p], err.msg);
            sc_image_free(&img);
            continue;
        }
        t_full += sc_now() - t0;
        int has_patch = sc_find_sky_patch(&full, 0, 0, &want, &err) == SC_OK;
        sc_matte_free(&full);
        for (int c = 0; c < n_canvases; c++) {
            sc_matte small;
            t0 = sc_now();
            if (sc_matte_compute_canvas(model, &img, &opt, canvases[c], &small, &err) != SC_OK) {
                fprintf(stderr, "%s: %s\n", argv[p], err.msg);
                return 1;
            }
            t_small[c] += sc_now() - t0;
            int found = sc_find_sky_patch(&small, 0, 0, &got, &err) == SC_OK;
            int d = found != has_patch ? 100000 : (found ? corner_distance(&want, &got) : 0);
            dist[(size_t)counted * MAX_CANVASES + c] = d;
            same[c] += d == 0;
            if (d > 0)
                printf("%s: canvas %d moves the patch by %d px (%dx%d photo)\n", argv[p],
                       canvases[c], d, img.width, img.height);
            sc_matte_free(&small);
        }
        counted++;
        sc_image_free(&img);
    }
    printf("pictures: %d, full refine canvas %d: matte time %.1f s\n", counted,
           sc_model_refine_size(model), t_full);
    int *col = malloc(sizeof *col * (size_t)(counted ? counted : 1));
    for (int c = 0; c < n_canvases && counted; c++) {
        for (int i = 0; i < counted; i++)
            col[i] = dist[(size_t)i * MAX_CANVASES + c];
        qsort(col, (size_t)counted, sizeof *col, by_value);
        printf("canvas %4d: same patch %d of %d, corner distance median %d, worst %d px; "
               "matte time %.1f s (%.2f x the full)\n",
               canvases[c], same[c], counted, col[counted / 2], col[counted - 1], t_small[c],
               t_small[c] / t_full);
    }
    free(col);
    free(dist);
    sc_model_free(model);
    return 0;
}
