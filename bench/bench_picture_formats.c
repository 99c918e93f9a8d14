/*
 * Encoding and decoding one picture in every output type, and the x265
 * preset HEIC results use against libheif's default.
 *
 *   bench_picture_formats [--repeats N] PICTURE
 *
 * For each type: the file's size, the median encode and decode time of N
 * runs (default 5) and the mean difference to the source in levels. Then
 * HEIC at quality 92 with x265's "slow" (libheif's default) and "fast" (ours):
 * median encode times, sizes and their ratios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "core/clock.h"
#include "io/image.h"
#include "io/picture_codecs.h"
#include "skychange.h"

enum { MAX_REPEATS = 50 };

static double mean_difference(const sc_image *a, const sc_image *b)
{
    if (a->width != b->width || a->height != b->height)
        return -1;
    size_t n = (size_t)a->width * (size_t)a->height * 3;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += abs((int)a->rgb[i] - (int)b->rgb[i]);
    return sum / (double)n;
}

static int bench_type(const sc_image *img, sc_file_type type, int quality, int repeats)
{
    double encode[MAX_REPEATS], decode[MAX_REPEATS], error = 0;
    size_t size = 0;
    for (int r = 0; r < repeats; r++) {
        void *data = NULL;
        sc_error err = {0};
        double start = sc_now();
        if (sc_image_encode(img, type, quality, &data, &size, &err) != SC_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
        encode[r] = sc_now() - start;
        sc_image back = {0};
        start = sc_now();
        if (sc_image_read_memory(data, size, "encoded", &back, &err) != SC_OK) {
            fprintf(stderr, "%s\n", err.msg);
            sc_buffer_free(data);
            return 1;
        }
        decode[r] = sc_now() - start;
        error = mean_difference(img, &back);
        sc_image_free(&back);
        sc_buffer_free(data);
    }
    printf("%-5s q%-3d %10zu bytes  encode %8.1f ms  decode %7.1f ms  error %5.2f levels\n",
           sc_file_type_name(type), quality, size, 1e3 * bench_median(encode, repeats),
           1e3 * bench_median(decode, repeats), error);
    return 0;
}

/* HEIC at quality 92 with an x265 preset: the median encode time, the size. */
static int heic_preset(const sc_image *img, const char *preset, int repeats, double *seconds,
                       size_t *size)
{
    double times[MAX_REPEATS];
    for (int r = 0; r < repeats; r++) {
        FILE *f = tmpfile();
        sc_error err = {0};
        double start = sc_now();
        sc_status status = f ? sc_encode_heic_preset(f, img, 92, preset, "preset", &err)
                             : SC_ERR_IO;
        times[r] = sc_now() - start;
        long end = f ? ftell(f) : -1;
        if (f)
            fclose(f);
        if (status != SC_OK || end < 0) {
            fprintf(stderr, "HEIC preset %s: %s\n", preset, f ? err.msg : "no temporary file");
            return 1;
        }
        *size = (size_t)end;
    }
    *seconds = bench_median(times, repeats);
    return 0;
}

int main(int argc, char **argv)
{
    int repeats = 5, first = 1;
    if (argc > 2 && !strcmp(argv[1], "--repeats")) {
        repeats = atoi(argv[2]);
        first = 3;
    }
    if (first != argc - 1 || repeats < 1 || repeats > MAX_REPEATS) {
        fprintf(stderr, "usage: %s [--repeats N (1..%d)] PICTURE\n", argv[0], MAX_REPEATS);
        return 2;
    }
    sc_image img = {0};
    sc_error err = {0};
    if (sc_image_read(argv[first], &img, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("%s: %dx%d, %d runs each, medians\n", argv[first], img.width, img.height, repeats);
    const struct {
        sc_file_type type;
        int quality;
    } runs[] = {{SC_FILE_PNG, 0},   {SC_FILE_JPEG, 92}, {SC_FILE_WEBP, 92},
                {SC_FILE_WEBP, 100}, {SC_FILE_TIFF, 0},  {SC_FILE_HEIC, 92}};
    int failed = 0;
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        if (runs[i].type == SC_FILE_HEIC && sc_output_type("heic", 0, NULL) != 1)
            continue;
        failed |= bench_type(&img, runs[i].type, runs[i].quality, repeats);
    }
    if (sc_output_type("heic", 0, NULL) == 1) {
        double slow, fast;
        size_t slow_size, fast_size;
        failed |= heic_preset(&img, "slow", repeats, &slow, &slow_size) ||
                  heic_preset(&img, "fast", repeats, &fast, &fast_size);
        if (!failed)
            printf("HEIC x265 preset slow: %.1f ms, %zu bytes; fast: %.1f ms, %zu bytes; "
                   "slow/fast time %.2f, size %.3f\n",
                   1e3 * slow, slow_size, 1e3 * fast, fast_size, slow / fast,
                   (double)slow_size / (double)fast_size);
    }
    sc_image_free(&img);
    return failed;
}
