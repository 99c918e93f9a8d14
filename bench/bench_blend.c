/*
 * Speed and memory of the blender at 12 MP (4000x3000 scene and sky photo,
 * synthetic pictures and mattes):
 *   - the feathered weights and paste (sc_composite);
 *   - the multiband step alone (sc_multiband), with the original's numerics
 *     against OpenCV's cv2.detail_MultiBandBlender on the same pictures and
 *     weights, run by bench/bench_blend_opencv.py in the same run (which also
 *     checks that both give the same picture), and with the default (exact)
 *     numerics;
 *   - the whole sc_replace_sky;
 *   - peak RSS of one sc_replace_sky in a fresh child process (ru_maxrss).
 * Times are medians of --reps runs on all cores. Unless OMP_WAIT_POLICY is
 * set, the program re-executes itself with OMP_WAIT_POLICY=passive.
 *
 *   bench_blend [--reps N] [--threads T] [--width W --height H] [--no-opencv]
 *               [--soft-matte]
 * --soft-matte gives the scene a matte like a network's: a smooth edge and
 * small nonzero values (noise of ~1e-4) everywhere instead of exact 0 and 1.
 *   bench_blend --rss-child W H      (internal: one blend, then exit)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_stats.h"
#include "blend/blend.h"
#include "blend/hash32.h"
#include "core/clock.h"
#include "core/parallel.h"
#include "skychange.h"


typedef struct inputs {
    sc_image scene, sky;
    sc_matte scene_matte, sky_matte;
} inputs;

static int g_soft_matte = 0;

/* A scene with sky above a wavy horizon (soft edge, exact 0 and 1 away from it
 * unless g_soft_matte) and a sky photo whose lower fifth is ground. */
static int make_inputs(int w, int h, inputs *in)
{
    size_t n = (size_t)w * h;
    in->scene = (sc_image){.width = w, .height = h, .rgb = malloc(n * 3)};
    in->sky = (sc_image){.width = w, .height = h, .rgb = malloc(n * 3)};
    in->scene_matte = (sc_matte){w, h, malloc(n * sizeof(float))};
    in->sky_matte = (sc_matte){w, h, malloc(n * sizeof(float))};
    if (!in->scene.rgb || !in->sky.rgb || !in->scene_matte.alpha || !in->sky_matte.alpha)
        return -1;
    for (int y = 0; y < h; y++) {
        float horizon = 0.45f * (float)h;
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            float line = horizon + 0.05f * h * (float)((x * 37 / (w / 16 + 1)) % 7) / 7.f;
            float a = (line - (float)y) / 12.f + 0.5f;
            a = a < 0.f ? 0.f : (a > 1.f ? 1.f : a);
            if (g_soft_matte) /* noise in [0, 1e-4), kept inside [0, 1] */
                a = a * (1.f - 1e-4f) + 1e-4f * (float)(hash32((uint32_t)i ^ 0x5bd1e995U) >> 8) /
                                            16777216.f;
            in->scene_matte.alpha[i] = a;
            in->sky_matte.alpha[i] = y < h * 4 / 5 ? 1.f : 0.f;
            uint32_t r = hash32((uint32_t)i);
            for (int c = 0; c < 3; c++) {
                in->scene.rgb[i * 3 + c] =
                    (uint8_t)((x * (c + 1) / 17 + y / 13 + (int)(r >> (8 * c) & 15)) & 255);
                in->sky.rgb[i * 3 + c] =
                    (uint8_t)(90 + c * 50 - y * 60 / h + (int)(r >> (8 * c + 4) & 7));
            }
        }
    }
    return 0;
}

static void free_inputs(inputs *in)
{
    free(in->scene.rgb);
    free(in->sky.rgb);
    free(in->scene_matte.alpha);
    free(in->sky_matte.alpha);
}

static int write_file(const char *dir, const char *name, const void *data, size_t bytes)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t put = fwrite(data, 1, bytes, f);
    return fclose(f) || put != bytes ? -1 : 0;
}

static int rss_child(int w, int h)
{
    inputs in;
    if (make_inputs(w, h, &in))
        return 1;
    sc_image out = {0};
    sc_error err;
    sc_options opt = sc_options_default();
    sc_status st = sc_replace_sky(&in.scene, &in.scene_matte, &in.sky, &in.sky_matte, &opt,
                                  &out, &err);
    free(out.rgb);
    free_inputs(&in);
    return st == SC_OK ? 0 : 2;
}

/* Peak RSS (MiB) of one blend in a fresh process, and of its inputs alone. */
static int measure_rss(const char *self, int w, int h, int inputs_only, double *mib)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char ws[16], hs[16];
        snprintf(ws, sizeof ws, "%d", w);
        snprintf(hs, sizeof hs, "%d", h);
        execl(self, self, inputs_only ? "--inputs-child" : "--rss-child", ws, hs, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        return -1;
    *mib = ru.ru_maxrss / 1024.0;
    return 0;
}

int main(int argc, char **argv)
{
    /* On a shared, oversubscribed machine OpenMP's default spin-waiting at
     * barriers burns the time slices the other thread needs; the wait policy
     * is read when the OpenMP runtime starts, so set it by re-executing. */
    if (!getenv("OMP_WAIT_POLICY")) {
        setenv("OMP_WAIT_POLICY", "passive", 1);
        execv("/proc/self/exe", argv);
    }
    int w = 4000, h = 3000, reps = 5, opencv = 1, threads = 0;
    if (argc == 4 && (!strcmp(argv[1], "--rss-child") || !strcmp(argv[1], "--inputs-child"))) {
        if (!strcmp(argv[1], "--rss-child"))
            return rss_child(atoi(argv[2]), atoi(argv[3]));
        inputs in;
        int rc = make_inputs(atoi(argv[2]), atoi(argv[3]), &in);
        free_inputs(&in);
        return rc ? 1 : 0;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--width") && i + 1 < argc)
            w = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--height") && i + 1 < argc)
            h = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-opencv"))
            opencv = 0;
        else if (!strcmp(argv[i], "--soft-matte"))
            g_soft_matte = 1;
        else {
            fprintf(stderr,
                    "usage: %s [--reps N] [--threads T] [--width W --height H] [--no-opencv] "
                    "[--soft-matte]\n",
                    argv[0]);
            return 2;
        }
    }
    if (reps < 1 || reps > 50 || w < 16 || h < 16) {
        fprintf(stderr, "bench_blend: bad --reps/--width/--height\n");
        return 2;
    }
    sc_set_threads(threads);
    /* first, while this process is small: a child inherits its parent's
     * high-water mark through fork and exec */
    double rss = 0, base = 0;
    int rss_ok = measure_rss(argv[0], w, h, 0, &rss) == 0 &&
                 measure_rss(argv[0], w, h, 1, &base) == 0;
    printf("bench_blend: %dx%d scene and sky%s, %d threads (OMP_WAIT_POLICY=%s), median of %d\n",
           w, h, g_soft_matte ? " (soft scene matte)" : "", sc_get_threads(),
           getenv("OMP_WAIT_POLICY"), reps);
    inputs in;
    if (make_inputs(w, h, &in)) {
        fprintf(stderr, "bench_blend: out of memory\n");
        return 1;
    }
    size_t n = (size_t)w * h;
    uint8_t *weights = malloc(2 * n), *pano = malloc(3 * n), *out = malloc(3 * n);
    sc_sky_patch patch;
    sc_rect box = {0, 0, 0, 0};
    sc_error err = {0};
    int ok = weights && pano && out;
    double t_prep = sc_now(), t_composite = 0;
    if (ok && sc_find_sky_patch(&in.sky_matte, 0, 0, &patch, &err) == SC_OK) {
        /* the scene's sky box, as sc_replace_sky finds it */
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (in.scene_matte.alpha[(size_t)y * w + x] * 255.0f > 1.0f) {
                    x0 = x < x0 ? x : x0;
                    x1 = x > x1 ? x : x1;
                    y0 = y < y0 ? y : y0;
                    y1 = y;
                }
        box = (sc_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
        uint8_t *placed = malloc((size_t)box.w * box.h * 3);
        ok = placed && sc_place_patch(&in.sky, &patch, box, NULL, placed, &err) == SC_OK;
        double *tc = malloc(sizeof *tc * (size_t)reps);
        ok = ok && tc;
        for (int r = 0; ok && r < reps; r++) {
            double t0 = sc_now();
            ok = sc_composite(&in.scene, &in.scene_matte, box, placed, SC_NUMERICS_ORIGINAL,
                              weights, weights + n, pano, &err) == SC_OK;
            if (tc)
                tc[r] = sc_now() - t0;
        }
        if (ok)
            t_composite = bench_median(tc, reps);
        free(tc);
        free(placed);
    } else {
        ok = 0;
    }
    t_prep = sc_now() - t_prep;
    if (!ok) {
        fprintf(stderr, "bench_blend: preparing the inputs failed: %s\n", err.msg);
        return 1;
    }
    printf("  patch + placement + %d x (feathered weights + paste): %.3f s\n", reps, t_prep);
    printf("  feathered weights + paste (sc_composite): %.3f s\n", t_composite);

    double *t = malloc(sizeof *t * (size_t)reps), *tcv = malloc(sizeof *tcv * (size_t)reps);
    double *tex = malloc(sizeof *tex * (size_t)reps);
    if (!t || !tcv || !tex)
        return 1;
    char dir[] = "/tmp/bench_blend_XXXXXX", cmd[2048];
    if (opencv) {
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
        if (write_file(dir, "scene.u8", in.scene.rgb, 3 * n) ||
            write_file(dir, "pano.u8", pano, 3 * n) ||
            write_file(dir, "scene_w.u8", weights + n, n) || write_file(dir, "sky_w.u8", weights, n)) {
            fprintf(stderr, "bench_blend: cannot write inputs to %s\n", dir);
            return 1;
        }
        /* the script lies beside this file */
        char script[1024];
        snprintf(script, sizeof script, "%s", __FILE__);
        char *slash = strrchr(script, '/');
        size_t at = slash ? (size_t)(slash + 1 - script) : 0;
        snprintf(script + at, sizeof script - at, "bench_blend_opencv.py");
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s %d %d", script, dir, w, h);
    }
    /* both numerics and OpenCV alternately, so that load from other processes
     * hits all alike */
    long differ = -1;
    for (int r = 0; r < reps; r++) {
        double t0 = sc_now();
        if (sc_multiband(in.scene.rgb, weights + n, pano, weights, w, h, SC_NUMERICS_EXACT, NULL,
                         out, &err)) {
            fprintf(stderr, "bench_blend: %s\n", err.msg);
            return 1;
        }
        tex[r] = sc_now() - t0;
        t0 = sc_now();
        if (sc_multiband(in.scene.rgb, weights + n, pano, weights, w, h, SC_NUMERICS_ORIGINAL,
                         NULL, out, &err)) {
            fprintf(stderr, "bench_blend: %s\n", err.msg);
            return 1;
        }
        t[r] = sc_now() - t0;
        if (!opencv)
            continue;
        if (r == 0 && write_file(dir, "ours.u8", out, 3 * n))
            return 1;
        FILE *p = popen(cmd, "r");
        char line[256];
        tcv[r] = -1;
        while (p && fgets(line, sizeof line, p)) {
            sscanf(line, "opencv_multiband_s %lf", &tcv[r]);
            sscanf(line, "differing_values %ld", &differ);
        }
        if (!p || pclose(p) != 0 || tcv[r] <= 0) {
            fprintf(stderr, "bench_blend: the OpenCV run failed (inputs in %s)\n", dir);
            return 1;
        }
    }
    double ours = bench_median(t, reps);
    printf("  multiband step (ours, original numerics): %.3f s\n", ours);
    printf("  multiband step (ours, exact numerics):    %.3f s\n", bench_median(tex, reps));
    if (opencv) {
        double cv = bench_median(tcv, reps);
        printf("  multiband step (OpenCV 4.6):     %.3f s   (cv2.detail_MultiBandBlender)\n", cv);
        printf("  speed-up of ours over OpenCV:    %.2fx\n", cv / ours);
        printf("  values differing from OpenCV:    %ld of %zu\n", differ, 3 * n);
        snprintf(cmd, sizeof cmd, "rm -r %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench_blend: could not remove %s\n", dir);
    }

    for (int r = 0; r < reps; r++) {
        sc_image res = {0};
        sc_options opt = sc_options_default();
        opt.threads = threads;
        double t0 = sc_now();
        if (sc_replace_sky(&in.scene, &in.scene_matte, &in.sky, &in.sky_matte, &opt, &res,
                           &err)) {
            fprintf(stderr, "bench_blend: %s\n", err.msg);
            return 1;
        }
        t[r] = sc_now() - t0;
        free(res.rgb);
    }
    printf("  whole sc_replace_sky (ours):     %.3f s\n", bench_median(t, reps));
    if (rss_ok)
        printf("  peak RSS of one blend (child):   %.0f MiB (inputs alone: %.0f MiB)\n", rss,
               base);
    else
        printf("  peak RSS: child run failed\n");

    free(t);
    free(tcv);
    free(tex);
    free(weights);
    free(pano);
    free(out);
    free_inputs(&in);
    return 0;
}
