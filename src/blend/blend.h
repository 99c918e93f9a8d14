/*
 * The sky-replacement blender (spec §4.4), stage by stage. Masks here are the
 * original's `alpha * 255` float32 values, computed on the fly from mattes.
 */
#ifndef SC_BLEND_BLEND_H
#define SC_BLEND_BLEND_H

#include <stdint.h>

#include "imgproc/imgproc.h"
#include "skychange.h"

#define SC_INNER_RECT_MAX_DIM 256
#define SC_SKY_CLOSE_KERNEL 7
#define SC_VALID_MASK_THRESHOLD 100.0f
#define SC_MIN_VALID_SKY_AREA 100
#define SC_SCENE_SKY_THRESHOLD 1.0f
#define SC_BLEND_LEVELS 10

/* Arithmetic of the paste and of the band normalisation. */
typedef enum sc_blend_numerics {
    /* Rounds the paste and the normalised bands to nearest, accumulates the
     * weighted bands in float: no darkening, and a picture blended with itself
     * (or given all the weight) comes back bit for bit. */
    SC_NUMERICS_EXACT,
    /* The original's truncations toward zero, bit for bit (compat mode). */
    SC_NUMERICS_ORIGINAL
} sc_blend_numerics;

/* Where the patch comes from: the clear rectangle found on the reduced mask,
 * and the rows/columns of the sky photo it maps to (end exclusive). */
typedef struct sc_sky_patch {
    sc_rect reduced;  /* on the reduced mask */
    long area;        /* its area, in reduced pixels */
    int x0, y0, x1, y1;
} sc_sky_patch;

/* §4.4.1: finds the clear sky rectangle of the sky photo and maps it back.
 * compat reproduces quirk Q1; flip searches the horizontally mirrored matte
 * (the patch's columns are then those of the mirrored photo). */
sc_status sc_find_sky_patch(const sc_matte *sky_matte, int compat, int flip, sc_sky_patch *out,
                            sc_error *err);
/* The size the search runs at for a wk x hk sky photo (about 256 px on the
 * shorter side), and its scale from the photo. */
void sc_sky_search_size(int wk, int hk, int *rw, int *rh, double *scale);
/* sc_find_sky_patch (not compat) from a matte already at the search size of a
 * wk x hk sky photo, e.g. one the networks computed at that size. */
sc_status sc_find_sky_patch_reduced(const sc_matte *reduced, int wk, int hk, int flip,
                                    sc_sky_patch *out, sc_error *err);

/* How the patch is cut and framed: mirrored (its columns count in the mirrored
 * photo), zoomed by scale >= 1, and cropped at offset -1..1 within the free
 * range on each axis (0: centred, the original's crop). */
typedef struct sc_patch_view {
    int flip;
    float scale, offset_x, offset_y;
} sc_patch_view;

/* §4.4.2 steps 7-8: cover-resizes rows y0..y1-1, cols x0..x1-1 of `sky` to the
 * scene box and crops; dst is box.w x box.h x 3. view NULL: the original's. */
sc_status sc_place_patch(const sc_image *sky, const sc_sky_patch *patch, sc_rect box,
                         const sc_patch_view *view, uint8_t *dst, sc_error *err);

/* --sky-brightness / --sky-temperature (sky_tone.c): a table per channel. */
typedef struct sc_sky_tone {
    int on;
    uint8_t table[3][256];
} sc_sky_tone;
void sc_sky_tone_init(sc_sky_tone *tone, float brightness_stops, float temperature_shift);
void sc_sky_tone_apply(const sc_sky_tone *tone, uint8_t *rgb, size_t pixels);

/* --edge-shift / --edge-fade (edge.c): out receives an edited copy of the matte. */
sc_status sc_matte_edit(const sc_matte *in, float shift, float fade, sc_matte *out,
                        sc_error *err);

/* --harmonize (harmonize.c): out (w*h*3) receives the scene with its ground
 * relit towards the placed patch (box.w x box.h x 3, the new sky in `box`). */
sc_status sc_harmonize(const sc_image *scene, const sc_matte *matte, const uint8_t *placed,
                       sc_rect box, float strength, uint8_t *out, sc_error *err);

/* §4.4.3: the feathered weights of scene row y, exactly as the original's x10
 * up-scale / blur / dilate|erode / down-scale gives them, evaluated lazily. */
typedef struct sc_feather sc_feather;
sc_feather *sc_feather_new(const sc_matte *scene_matte);
void sc_feather_free(sc_feather *f);
/* Makes f use its general tap lookup (taken for widths of ~2^19 and more); for tests. */
void sc_feather_use_generic_taps(sc_feather *f);
/* NULL / -1 when memory ran out. sky_w and scn_w receive the matte's width values. */
int sc_feather_row(const sc_feather *f, int y, float *sky_w, float *scn_w);
/* The truncated (uint8) weights of row y, as the blender is fed them, and the
 * float sky weight, exact in columns fx0..fx1-1 only (elsewhere it merely
 * truncates alike). Faster where the matte is tiny but not exactly 0. */
int sc_feather_row_u8(const sc_feather *f, int y, int fx0, int fx1, float *sky_w,
                      uint8_t *sky_w8, uint8_t *scn_w8);

/* §4.4.3-4.4.4: weights as uint8 (truncated) and the pasted scene `pano`. */
sc_status sc_composite(const sc_image *scene, const sc_matte *scene_matte, sc_rect box,
                       const uint8_t *placed, sc_blend_numerics num, uint8_t *sky_w8,
                       uint8_t *scn_w8, uint8_t *pano, sc_error *err);

/* §4.4.5: MultiBandBlender of (scene, scn_w8) then (pano, sky_w8). Writes the
 * int16 result to out_s16 and/or its uint8 clamp to out_u8 (either may be NULL). */
sc_status sc_multiband(const uint8_t *scene, const uint8_t *scn_w8, const uint8_t *pano,
                       const uint8_t *sky_w8, int w, int h, sc_blend_numerics num,
                       int16_t *out_s16, uint8_t *out_u8, sc_error *err);

/* The default mode's ground fade (ground.c): a pixel with no sky weight keeps
 * the blend as far as the share of sky-weighted pixels in the square of
 * half-side sc_ground_reach() around it is SC_GROUND_FULL_SKY_SHARE or more,
 * and fades to the scene's pixel as that share falls to 0; pixels farther than
 * the reach from every sky-weighted pixel are the scene's, byte for byte. */
#define SC_GROUND_REACH_PERCENT 5 /* of the picture's short side */
#define SC_GROUND_FULL_SKY_SHARE 0.4f
int sc_ground_reach(int w, int h);
sc_status sc_keep_ground(const uint8_t *scene, const uint8_t *sky_w8, int w, int h,
                         uint8_t *out, sc_error *err);

/* The whole blend; out_s16 (w*h*3) optional, out_u8 (w*h*3) required.
 * compat_patch reproduces quirk Q1 (sc_find_sky_patch); keep_ground applies
 * sc_keep_ground to out_u8 (out_s16 stays the blender's); look: the look
 * controls of sc_options (NULL: none; sky_matte may be NULL with sky_plate). */
sc_status sc_blend_run(const sc_image *scene, const sc_matte *scene_matte, const sc_image *sky,
                       const sc_matte *sky_matte, int compat_patch, sc_blend_numerics num,
                       int keep_ground, const sc_options *look, int16_t *out_s16,
                       uint8_t *out_u8, sc_error *err);

#endif
