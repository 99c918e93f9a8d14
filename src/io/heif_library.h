/* libheif, initialised once for the process (its encoders and decoders are
 * registered by heif_init, which is not safe to race). */
#ifndef SC_IO_HEIF_LIBRARY_H
#define SC_IO_HEIF_LIBRARY_H

#include <libheif/heif.h>

void sc_heif_init(void);

#endif
