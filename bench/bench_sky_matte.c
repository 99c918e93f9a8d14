/*
 * The sky photo's matte at reduced sizes against the full one: does the clear
 * sky rectangle the blender cuts from the sky photo stay the same, and what
 * does it save?
 *
 *   bench_sky_matte --model M [--threads N] [--canvas C]... PICTURE...
 *
 * For each picture the patch from the full matte (the model's refine canvas,
 * resized to the photo, then reduced for the search) is compared with the
 * patch from mattes computed straight at the search size (~256 px on the
 * shorter side): with the model's refine canvas, with each canvas C (default
 * 640, 512, 320), and from the coarse label alone (no refiner); and, at the
 * photo's size, from fewer coarse views than the model's: each of its sizes
 * alone, each with its mirror, and all sizes unmirrored. Prints per
 * variant how many patches are identical, how many corners moved by at most
 * 8 px, the median and worst corner distance in the sky photo's pixels, and
 * the summed matte times against the full matte's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blend/blend.h"
#include "core/clock.h"
#include "matting/matte_canvas.h"
#include "nets/model.h"
#include "skychange.h"

#define MAX_VARIANTS (7 + 2 * SC_MAX_COARSE_SIZES)

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

typedef struct variant {
    sc_matte_size size;
    sc_coarse_views views;
    int photo_size; /* 1: the matte at the photo's size, searched as the full one is */
    char name[40];
} variant;

int main(int argc, char **argv)
{
    const char *model_path = getenv("SKYCHANGE_MODEL");
    int threads = 0, canvases[MAX_VARIANTS], n_canvases = 0, first_picture = argc;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model_path = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--canvas") && i + 1 < argc && n_canvases < 4)
            canvases[n_canvases++] = atoi(argv[++i]);
        else { first_picture = i; break; }
    }
    if (!model_path || first_picture >= argc) {
        fprintf(stderr, "usage: bench_sky_matte --model M [--threads N] [--canvas C]... PICTURE...\n");
        return 2;
    }
    if (!n_canvases) {
        const int defaults[] = {640, 512, 320};
        for (int i = 0; i < 3; i++)
            canvases[n_canvases++] = defaults[i];
    }
    sc_error err = {0};
    sc_model *model = NULL;
    if (sc_model_load(model_path, &model, &err) != SC_OK) {
        fprintf(stderr, "bench_sky_matte: %s\n", err.msg);
        return 3;
    }
    variant variants[MAX_VARIANTS];
    int n_variants = 0;
    variants[n_variants] = (variant){{0, 0, 0, 0, NULL}, {0, {0}, 0}, 0, ""};
    snprintf(variants[n_variants++].name, sizeof variants[0].name, "canvas %d",
             sc_model_refine_size(model));
    for (int c = 0; c < n_canvases; c++) {
        variants[n_variants] = (variant){{canvases[c], 0, 0, 0, NULL}, {0, {0}, 0}, 0, ""};
        snprintf(variants[n_variants++].name, sizeof variants[0].name, "canvas %d", canvases[c]);
    }
    variants[n_variants] = (variant){{0, 1, 0, 0, NULL}, {0, {0}, 0}, 0, ""};
    snprintf(variants[n_variants++].name, sizeof variants[0].name, "coarse only");
    /* Fewer coarse views, the refiner at the model's canvas. */
    const sc_coarse_views *own = &model->cfg.coarse_views;
    for (int i = 0; i < own->count && n_variants < MAX_VARIANTS; i++) {
        variant *v = &variants[n_variants++];
        *v = (variant){{0, 0, 0, 0, NULL}, {1, {own->sizes[i]}, 0}, 1, ""};
        snprintf(v->name, sizeof v->name, "view %d", own->sizes[i]);
        if (own->flip && n_variants < MAX_VARIANTS) {
            v = &variants[n_variants++];
            *v = (variant){{0, 0, 0, 0, NULL}, {1, {own->sizes[i]}, 1}, 1, ""};
            snprintf(v->name, sizeof v->name, "view %d mirrored", own->sizes[i]);
        }
    }
    if (own->count > 1 && own->flip && n_variants < MAX_VARIANTS) {
        variant *v = &variants[n_variants++];
        *v = (variant){{0, 0, 0, 0, NULL}, *own, 1, "sizes, no mirror"};
        v->views.flip = 0;
    }

    sc_options opt = sc_options_default();
    opt.threads = threads;
    int pictures = argc - first_picture, counted = 0;
    int *dist = calloc((size_t)pictures * MAX_VARIANTS, sizeof *dist);
    int same[MAX_VARIANTS] = {0}, near[MAX_VARIANTS] = {0};
    double t_full = 0, t_small[MAX_VARIANTS] = {0};
    if (!dist)
        return 1;
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
        int has_patch = sc_find_sky_patch(&full, 0, 0, &want, &err) == SC_OK;
        t_full += sc_now() - t0;
        sc_matte_free(&full);
        for (int v = 0; v < n_variants; v++) {
            sc_matte small;
            double scale;
            sc_matte_size size = variants[v].size;
            if (variants[v].views.count)
                size.views = &variants[v].views;
            /* A wide strip's search size can exceed the photo (the original's
             * scale): such a photo is searched as the full matte is. */
            int photo_size = variants[v].photo_size;
            if (!photo_size) {
                sc_sky_search_size(img.width, img.height, &size.width, &size.height, &scale);
                photo_size = size.width > img.width || size.height > img.height;
                if (photo_size)
                    size.width = size.height = 0;
            }
            t0 = sc_now();
            if (sc_matte_compute_sized(model, &img, &opt, &size, &small, &err) != SC_OK) {
                fprintf(stderr, "%s: %s\n", argv[p], err.msg);
                return 1;
            }
            int found = photo_size
                            ? sc_find_sky_patch(&small, 0, 0, &got, &err) == SC_OK
                            : sc_find_sky_patch_reduced(&small, img.width, img.height, 0, &got,
                                                        &err) == SC_OK;
            t_small[v] += sc_now() - t0;
            int d = found != has_patch ? 100000 : (found ? corner_distance(&want, &got) : 0);
            dist[(size_t)counted * MAX_VARIANTS + v] = d;
            same[v] += d == 0;
            near[v] += d <= 8;
            if (d > 0)
                printf("%s: %s moves the patch by %d px (%dx%d photo)\n", argv[p],
                       variants[v].name, d, img.width, img.height);
            sc_matte_free(&small);
        }
        counted++;
        sc_image_free(&img);
    }
    printf("pictures: %d; full matte (refine canvas %d, photo size) and search: %.1f s\n",
           counted, sc_model_refine_size(model), t_full);
    int *col = malloc(sizeof *col * (size_t)(counted ? counted : 1));
    for (int v = 0; v < n_variants && counted && col; v++) {
        for (int i = 0; i < counted; i++)
            col[i] = dist[(size_t)i * MAX_VARIANTS + v];
        qsort(col, (size_t)counted, sizeof *col, by_value);
        printf("%-18s: same patch %d of %d, within 8 px %d, corner distance "
               "median %d, worst %d px; time %.1f s (%.2f x the full)\n",
               variants[v].name, same[v], counted, near[v], col[counted / 2], col[counted - 1],
               t_small[v], t_small[v] / t_full);
    }
    free(col);
    free(dist);
    sc_model_free(model);
    return 0;
}
