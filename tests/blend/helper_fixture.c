/* The blend tests read the same fixture format as the primitive tests. */
#include "imgproc/helper_fixture.c"
